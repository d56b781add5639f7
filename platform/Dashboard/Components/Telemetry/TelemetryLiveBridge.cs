using AspireProber.Dashboard.Components.Live;
using AspireProber.Dashboard.Telemetry;

namespace AspireProber.Dashboard.Components.Telemetry;

/// <summary>
/// Tells open telemetry pages that the store changed: publishes <see cref="TracesTopic"/>, <see cref="LogsTopic"/> and
/// <see cref="MetricsTopic"/> on <see cref="LiveUpdates"/> for the signals that grew. Exporters send a batch per signal
/// every second or so, and under load many per second; one publish per <see cref="MinInterval"/> at most keeps every
/// open browser from re-rendering its fragments for each batch.
/// </summary>
internal sealed class TelemetryLiveBridge(TelemetryStore store, LiveUpdates updates) : BackgroundService
{
    /// <summary>Topic of the traces list and of every trace's waterfall.</summary>
    public const string TracesTopic = "traces";

    /// <summary>Topic of the structured logs.</summary>
    public const string LogsTopic = "logs";

    /// <summary>Topic of the metrics and backpressure pages.</summary>
    public const string MetricsTopic = "metrics";

    /// <summary>The shortest time between two publishes of the same topic.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seen = Totals(store.GetCounts());
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var version = store.Version;
                await store.WaitForChangeAsync(version, stoppingToken);
                // Whatever arrives during the pause is announced by the next round, so nothing is lost, only merged.
                await Task.Delay(MinInterval, stoppingToken);
                var now = Totals(store.GetCounts());
                if (now.Spans != seen.Spans)
                {
                    updates.Publish(TracesTopic);
                }
                if (now.Logs != seen.Logs)
                {
                    updates.Publish(LogsTopic);
                }
                if (now.Points != seen.Points)
                {
                    updates.Publish(MetricsTopic);
                }
                seen = now;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The dashboard is stopping.
        }
    }

    // Held plus dropped only grows, even when the store is at its limit and every new item evicts an old one.
    private static (long Spans, long Logs, long Points) Totals(TelemetryCounts counts) =>
        (counts.Spans + counts.DroppedSpans, counts.Logs + counts.DroppedLogs, counts.MetricPoints + counts.DroppedMetricPoints);
}
