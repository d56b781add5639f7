using System.Buffers;
using AspireProber.InteropServer;
using Google.Protobuf;
using Grpc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace AspireProber.GrpcBench;

/// <summary>
/// The two Kestrel servers the bench hosts itself: raw Kestrel echoing gRPC frames (the ceiling: HTTP/2
/// and nothing else), and grpc-dotnet with bench/GrpcDotnetInteropServer's TestServiceImpl (hosted here, not in
/// its own process, only to count its allocations with GC.GetTotalAllocatedBytes). Both listen like that
/// server's program does: h2c only, on 127.0.0.1, a free port, 1000 streams per connection, quiet logging.
/// </summary>
internal static class InProcessServers
{
    public static WebApplication CreateRawKestrelEcho()
    {
        var app = CreateBuilder().Build();
        app.Run(EchoAsync);
        return app;
    }

    public static WebApplication CreateGrpcDotnet()
    {
        var builder = CreateBuilder();
        builder.Services.AddGrpc();
        var app = builder.Build();
        app.MapGrpcService<TestServiceImpl>();
        return app;
    }

    /// <summary>The port Kestrel picked, once the app has started.</summary>
    public static int Port(WebApplication app) => new Uri(app.Urls.Single()).Port;

    /// <summary>
    /// Whatever gRPC request arrives, its bytes (a framed message) go back as the response message with the
    /// headers and trailers of a successful gRPC call — the least any gRPC server on Kestrel can do.
    /// StreamingOutputCall is the exception: it streams the responses asked for, see <see cref="StreamAsync"/>.
    /// </summary>
    private static async Task EchoAsync(HttpContext context)
    {
        context.Response.ContentType = "application/grpc";
        if (context.Request.Path.Value!.EndsWith("/StreamingOutputCall", StringComparison.Ordinal))
        {
            await StreamAsync(context);
            return;
        }
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

    /// <summary>
    /// The streaming ceiling: parse the request, then per response build the message, frame it, write it and
    /// flush (so each write waits for flow control, as a gRPC server's must) — what any gRPC server on Kestrel
    /// does at the least, without its call machinery.
    /// </summary>
    private static async Task StreamAsync(HttpContext context)
    {
        var body = await context.Request.BodyReader.ReadAsync(context.RequestAborted);
        while (!body.IsCompleted)
        {
            context.Request.BodyReader.AdvanceTo(body.Buffer.Start, body.Buffer.End);
            body = await context.Request.BodyReader.ReadAsync(context.RequestAborted);
        }
        var request = StreamingOutputCallRequest.Parser.ParseFrom(body.Buffer.Slice(5));
        context.Request.BodyReader.AdvanceTo(body.Buffer.End);
        var writer = context.Response.BodyWriter;
        foreach (var parameter in request.ResponseParameters)
        {
            var response = new StreamingOutputCallResponse { Payload = new Payload { Body = ByteString.CopyFrom(new byte[parameter.Size]) } };
            var header = writer.GetSpan(5);
            header[0] = 0;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(header[1..], (uint)response.CalculateSize());
            writer.Advance(5);
            response.WriteTo(writer);
            await writer.FlushAsync(context.RequestAborted);
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
