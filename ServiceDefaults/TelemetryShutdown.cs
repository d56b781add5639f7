using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Ends the OpenTelemetry providers once the host has stopped, all three at once and within
/// <see cref="ExportBudget"/>, so a service stops quickly even when the OTLP endpoint is already gone.
/// </summary>
/// <remarks>
/// Why: left to themselves the providers end when the host is disposed, one after the other, each with the SDK's fixed
/// grace period of up to 5 s. The AppHost sets <c>OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY=in_memory</c>, and on Ctrl+C
/// DCP stops the dashboard together with the services, so the last exports retry against a refused connection: a
/// prober took 5.4 s to exit after DCP's SIGTERM. Run alone, it took 9.8 s against a closed OTLP port and 5.1 s even
/// against a live OTLP receiver; with this, 1.0 s and 0.7 s, and the receiver still got the last logs and metrics.
/// A provider ended here is not ended again on dispose.
/// </remarks>
internal sealed class TelemetryShutdown(IServiceProvider services, ILogger<TelemetryShutdown> logger) : IHostedLifecycleService
{
    /// <summary>How long the last export of traces, metrics and logs may take, together.</summary>
    public static readonly TimeSpan ExportBudget = TimeSpan.FromSeconds(1);

    // After every hosted service has stopped, so what they log while stopping is still exported.
    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        var budget = (int)ExportBudget.TotalMilliseconds;
        var endings = new (string Signal, Func<bool> End)[]
        {
            ("traces", () => services.GetService<TracerProvider>()?.Shutdown(budget) ?? true),
            ("metrics", () => services.GetService<MeterProvider>()?.Shutdown(budget) ?? true),
            ("logs", () => services.GetService<LoggerProvider>()?.Shutdown(budget) ?? true),
        };
        Parallel.ForEach(endings, ending =>
        {
            // False means it timed out or a reader or exporter reported failure. The metrics provider returned false
            // even when a live OTLP receiver got its last export (run alone), so this is a detail, not a warning.
            if (!ending.End())
            {
                logger.LogDebug("OpenTelemetry's {Signal} provider did not end cleanly within {Budget}; what it had not exported is dropped.",
                    ending.Signal, ExportBudget);
            }
        });
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
