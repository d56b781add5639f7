using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AspireProber.Dashboard.Tests.ResourceService;

/// <summary>A <see cref="FakeResourceService"/> served by platform/Grpc on Kestrel (127.0.0.1, free port, h2c); stopped on dispose.</summary>
public sealed class ResourceServiceHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ResourceServiceHost(WebApplication app, FakeResourceService service, Uri address)
    {
        _app = app;
        Service = service;
        Address = address;
    }

    /// <summary>The fake the host serves.</summary>
    public FakeResourceService Service { get; }

    /// <summary>Where it listens, e.g. http://127.0.0.1:41234.</summary>
    public Uri Address { get; }

    public static async Task<ResourceServiceHost> StartAsync(FakeResourceService service)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpcServer();
        builder.Services.AddSingleton(service);
        var app = builder.Build();
        app.MapGrpcService<FakeResourceService>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new ResourceServiceHost(app, service, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
