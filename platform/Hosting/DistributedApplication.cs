using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Dashboard;
using Aspire.Hosting.Orchestration;
using Aspire.Hosting.Publishing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>
/// A built distributed application: <see cref="Run"/> starts every resource, shows a live table of them, and on
/// Ctrl+C (SIGINT/SIGTERM) stops them in reverse dependency order. Started with <c>publish --output &lt;dir&gt;</c>,
/// <see cref="Run"/> writes a docker-compose.yaml instead and starts nothing.
/// </summary>
public sealed class DistributedApplication : IHost, IAsyncDisposable
{
    private readonly IHost _host;
    private readonly PublishingOptions? _publishing;
    private bool _disposed;

    internal DistributedApplication(IHost host, PublishingOptions? publishing)
    {
        _host = host;
        _publishing = publishing;
    }

    /// <summary>A builder over the AppHost's command-line arguments.</summary>
    public static IDistributedApplicationBuilder CreateBuilder(string[] args) => new DistributedApplicationBuilder(new DistributedApplicationOptions { Args = args });

    /// <summary>A builder over <paramref name="options"/>.</summary>
    public static IDistributedApplicationBuilder CreateBuilder(DistributedApplicationOptions options) => new DistributedApplicationBuilder(options);

    /// <inheritdoc />
    public IServiceProvider Services => _host.Services;

    /// <summary>The resources' state changes.</summary>
    public ResourceNotificationService ResourceNotifications => Services.GetRequiredService<ResourceNotificationService>();

    /// <summary>The resources' console output.</summary>
    public ResourceLoggerService ResourceLogs => Services.GetRequiredService<ResourceLoggerService>();

    /// <summary>Stop, start and restart of resources and replicas.</summary>
    public ResourceCommandService ResourceCommands => Services.GetRequiredService<ResourceCommandService>();

    /// <summary>The application model.</summary>
    public DistributedApplicationModel Model => Services.GetRequiredService<DistributedApplicationModel>();

    /// <summary>The address of the resource service (aspire.v1.DashboardService, h2c) once started; null before, and when publishing.</summary>
    public string? ResourceServiceUrl => Services.GetRequiredService<ResourceServiceHost>().Url;

    /// <summary>Builds what needs building and starts every resource (dependents start once their dependencies are healthy); returns without waiting for health.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => _host.StartAsync(cancellationToken);

    /// <summary>Stops every resource, dependents first.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _host.StopAsync(cancellationToken);

    /// <summary>Starts the application, prints the live resource table, and runs until Ctrl+C or <paramref name="cancellationToken"/>; when publishing, writes the compose file and returns.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        if (_publishing is not null)
        {
            var logger = Services.GetRequiredService<ILoggerFactory>().CreateLogger("Aspire.Hosting.Publishing");
            await new ComposePublisher(Model, Services.GetRequiredService<IHostEnvironment>(), logger).PublishAsync(_publishing.OutputPath, cancellationToken).ConfigureAwait(false);
            return;
        }
        using var tableStop = new CancellationTokenSource();
        var table = new ConsoleResourceTable(ResourceNotifications, Console.Out).RunAsync(tableStop.Token);
        try
        {
            await _host.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await tableStop.CancelAsync().ConfigureAwait(false);
            await table.ConfigureAwait(false);
        }
    }

    /// <summary>Runs until Ctrl+C; see <see cref="RunAsync"/>.</summary>
    public void Run() => RunAsync().GetAwaiter().GetResult();

    /// <summary>Stops every resource (if still running) and releases the host.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        // Disposing must never leave processes behind, even when the caller (a failing test) never called StopAsync.
        await Services.GetRequiredService<ApplicationOrchestrator>().StopAsync(CancellationToken.None).ConfigureAwait(false);
        if (_host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            _host.Dispose();
        }
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
