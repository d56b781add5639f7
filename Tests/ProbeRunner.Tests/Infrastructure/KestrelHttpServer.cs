using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AspireProber.ProbeRunner.Tests.Infrastructure;

/// <summary>
/// A real Kestrel server on 127.0.0.1 (HTTP/1.1, a free port) answering every request with one handler, and counting
/// the requests; stopped on dispose. A stand-in for what the runner reads over plain HTTP (Prometheus, /metrics).
/// </summary>
public sealed class KestrelHttpServer : IAsyncDisposable
{
    private WebApplication _app = null!;
    private int _requests;

    private KestrelHttpServer()
    {
    }

    /// <summary>The server's address: http://127.0.0.1 and the port the OS gave it.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Requests received so far, answered or not.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Starts a server that answers every request with <paramref name="handler"/>.</summary>
    public static async Task<KestrelHttpServer> StartAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // The runner's appsettings.json is copied next to the tests; its Kestrel endpoints are not this server's.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1));
        var server = new KestrelHttpServer { _app = builder.Build() };
        server._app.Run(context =>
        {
            Interlocked.Increment(ref server._requests);
            return handler(context);
        });
        await server._app.StartAsync();
        server.Address = new Uri(server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return server;
    }

    /// <summary>Starts a server that answers every request with <paramref name="text"/> as text/plain.</summary>
    public static Task<KestrelHttpServer> ServingTextAsync(string text) =>
        StartAsync(context => context.Response.WriteAsync(text));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
