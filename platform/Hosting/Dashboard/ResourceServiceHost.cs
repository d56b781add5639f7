using Aspire.Hosting.ApplicationModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting.Dashboard;

/// <summary>
/// Serves aspire.v1.DashboardService from the AppHost process on its own Kestrel server: h2c on 127.0.0.1 and a free
/// port. Started before the orchestrator (hosted services start in registration order) so the dashboard gets its URL.
/// </summary>
/// <remarks>
/// The AppHost's services are resolved at start, not injected: the command service needs the orchestrator, which
/// needs this host's address, so constructor injection would be a cycle.
/// </remarks>
internal sealed class ResourceServiceHost(IServiceProvider appHostServices) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The service's address, e.g. <c>http://127.0.0.1:41234</c>; null until started.</summary>
    public string? Url { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // No configuration at all: the AppHost's ASPNETCORE_URLS (the dashboard's UI port in a launch profile) and any
        // appsettings.json in its directory (a referenced service's Kestrel endpoints) are not this server's.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        // Quiet, and deaf to Ctrl+C: this server is a part of the AppHost, which logs and stops it. The service's own
        // log lines (commands run) go to the AppHost's log.
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, AppHostOwnedLifetime>();
        var loggerFactory = appHostServices.GetRequiredService<ILoggerFactory>();
        builder.Services.AddSingleton(loggerFactory.CreateLogger<ResourceDashboardService>());
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpcServer();
        builder.Services.AddSingleton(appHostServices.GetRequiredService<DistributedApplicationModel>());
        builder.Services.AddSingleton(appHostServices.GetRequiredService<ResourceNotificationService>());
        builder.Services.AddSingleton(appHostServices.GetRequiredService<ResourceLoggerService>());
        builder.Services.AddSingleton(appHostServices.GetRequiredService<ResourceCommandService>());
        builder.Services.AddSingleton(appHostServices.GetRequiredService<IHostEnvironment>());
        builder.Services.AddSingleton<ResourceDashboardService>();
        _app = builder.Build();
        _app.MapGrpcService<ResourceDashboardService>();
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        Url = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        loggerFactory.CreateLogger<ResourceServiceHost>().LogDebug("Resource service listening on {ResourceServiceUrl}", Url);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Leaves start and stop to the AppHost (the default console lifetime would handle Ctrl+C a second time).</summary>
    private sealed class AppHostOwnedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
