using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AspireProber.ProbeRunner.Tests.Infrastructure;

/// <summary>A real Kestrel server on 127.0.0.1 (h2c only) hosting one gRPC service instance; stopped on dispose.</summary>
public sealed class KestrelGrpcServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private KestrelGrpcServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The server's address: http://127.0.0.1 and the port the OS gave it.</summary>
    public Uri Address { get; }

    /// <summary>Starts a server for <paramref name="service"/> (a fake of a generated server base) on a free port, or on <paramref name="port"/>.</summary>
    public static async Task<KestrelGrpcServer> StartAsync<TService>(TService service, int port = 0) where TService : class
    {
        var builder = WebApplication.CreateSlimBuilder();
        // The runner's appsettings.json is copied next to the tests; its Kestrel endpoints are not the fake's.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(service);
        var app = builder.Build();
        app.MapGrpcService<TService>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new KestrelGrpcServer(app, new Uri(address));
    }

    /// <summary>A port that was free a moment ago (for hosts whose ports come from configuration).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Stops the server, as a replica going down mid-run; later calls to it are refused.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
