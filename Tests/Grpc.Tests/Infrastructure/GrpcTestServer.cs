using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AspireProber.Grpc.Tests.Infrastructure;

/// <summary>A real Kestrel server on 127.0.0.1 and a free port, speaking h2c only, stopped on dispose.</summary>
public sealed class GrpcTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GrpcTestServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The server's base address, e.g. http://127.0.0.1:41234.</summary>
    public Uri Address { get; }

    /// <summary>The server's services (to reach singletons the test registered).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a server; <paramref name="configureServices"/> registers services, <paramref name="map"/> maps endpoints.</summary>
    public static async Task<GrpcTestServer> StartAsync(Action<IServiceCollection> configureServices, Action<IEndpointRouteBuilder> map,
        HttpProtocols protocols = HttpProtocols.Http2)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.Protocols = protocols));
        configureServices(builder.Services);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new GrpcTestServer(app, new Uri(address));
    }

    /// <summary>An HttpClient that speaks HTTP/2 without TLS (prior knowledge), for raw protocol tests.</summary>
    public HttpClient CreateRawHttp2Client() => new(new SocketsHttpHandler())
    {
        BaseAddress = Address,
        DefaultRequestVersion = System.Net.HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
