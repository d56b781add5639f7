using System.Buffers;
using AspireProber.InteropServer;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace AspireProber.GrpcBench;

/// <summary>
/// The two Kestrel servers the bench hosts itself: raw Kestrel echoing gRPC frames (the ceiling: HTTP/2
/// and nothing else), and our gRPC server with the InteropServer's TestServiceImpl (hosted here, not in
/// its own process, only to count its allocations with GC.GetTotalAllocatedBytes). Both listen like the
/// InteropServer does: h2c only, on 127.0.0.1, a free port, 1000 streams per connection, quiet logging.
/// </summary>
internal static class InProcessServers
{
    public static WebApplication CreateRawKestrelEcho()
    {
        var app = CreateBuilder().Build();
        app.Run(EchoAsync);
        return app;
    }

    public static WebApplication CreateOurs()
    {
        var builder = CreateBuilder();
        builder.Services.AddGrpcServer();
        var app = builder.Build();
        app.MapGrpcService<TestServiceImpl>();
        return app;
    }

    /// <summary>The port Kestrel picked, once the app has started.</summary>
    public static int Port(WebApplication app) => new Uri(app.Urls.Single()).Port;

    /// <summary>
    /// Whatever gRPC request arrives, its bytes (a framed message) go back as the response message with the
    /// headers and trailers of a successful gRPC call — the least any gRPC server on Kestrel can do.
    /// </summary>
    private static async Task EchoAsync(HttpContext context)
    {
        context.Response.ContentType = "application/grpc";
        var reader = context.Request.BodyReader;
        var writer = context.Response.BodyWriter;
        while (true)
        {
            var read = await reader.ReadAsync(context.RequestAborted);
            foreach (var segment in read.Buffer)
            {
                writer.Write(segment.Span);
            }
            reader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                break;
            }
        }
        context.Response.AppendTrailer("grpc-status", "0");
    }

    private static WebApplicationBuilder CreateBuilder()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1000;
        });
        return builder;
    }
}
