using Microsoft.Extensions.Options;

namespace AspireProber.Dashboard.Telemetry;

/// <summary>
/// Every span, log record and metric point the dashboard received, in memory and bounded by <see cref="TelemetryLimits"/>
/// (oldest dropped first, drops counted). Thread-safe: OTLP receivers add whole validated batches while pages read
/// snapshots; every read returns immutable copies. Pages that update live read <see cref="Version"/>, render, then
/// await <see cref="WaitForChangeAsync"/> with that version.
/// </summary>
public sealed partial class TelemetryStore
{
    private readonly Dictionary<ResourceKey, TelemetryResource> _resources = [];
    private readonly Lock _resourceLock = new();
    private TaskCompletionSource _changed = NewChangeSignal();
    private long _version;

    /// <summary>Creates a store with the configured limits.</summary>
    public TelemetryStore(IOptions<DashboardOptions> options) : this(options.Value.TelemetryLimits)
    {
    }

    /// <summary>Creates a store with <paramref name="limits"/>.</summary>
    public TelemetryStore(TelemetryLimits limits)
    {
        limits.Validate();
        Limits = limits;
        _logs = new RingBuffer<TelemetryLog>(limits.MaxLogCount);
    }

    /// <summary>The bounds this store keeps to.</summary>
    public TelemetryLimits Limits { get; }

    /// <summary>Grows by one with every stored batch; pass it to <see cref="WaitForChangeAsync"/>.</summary>
    public long Version => Volatile.Read(ref _version);

    /// <summary>Completes as soon as <see cref="Version"/> differs from <paramref name="version"/> (at once if it already does).</summary>
    public Task WaitForChangeAsync(long version, CancellationToken cancellationToken = default)
    {
        // The signal is read before the version: a change in between completes the signal read, so none is missed.
        var signal = Volatile.Read(ref _changed);
        return Version != version ? Task.CompletedTask : signal.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Every replica that sent telemetry, ordered by service name then instance id.</summary>
    public IReadOnlyList<TelemetryResource> GetResources()
    {
        lock (_resourceLock)
        {
            return _resources.Values
                .OrderBy(r => r.Key.ServiceName, StringComparer.Ordinal)
                .ThenBy(r => r.Key.InstanceId, StringComparer.Ordinal)
                .ToArray();
        }
    }

    /// <summary>What the store holds and what it dropped.</summary>
    public TelemetryCounts GetCounts()
    {
        int traces, logs;
        long spans, points, droppedTraces, droppedSpans, droppedLogs, droppedPoints;
        lock (_traceLock)
        {
            (traces, spans, droppedTraces, droppedSpans) = (_traces.Count, _spanCount, _droppedTraces, _droppedSpans);
        }
        lock (_logLock)
        {
            (logs, droppedLogs) = (_logs.Count, _droppedLogs);
        }
        lock (_metricLock)
        {
            (points, droppedPoints) = (_pointCount, _droppedPoints);
        }
        return new TelemetryCounts(traces, spans, logs, points, droppedTraces, droppedSpans, droppedLogs, droppedPoints);
    }

    /// <summary>Stores a validated batch: each signal under its own lock, then one change signal.</summary>
    internal void Add(TelemetryBatch batch)
    {
        lock (_resourceLock)
        {
            foreach (var resource in batch.Resources)
            {
                _resources[resource.Key] = resource;
            }
        }
        if (batch.Spans.Count > 0)
        {
            AddSpans(batch.Spans);
        }
        if (batch.Logs.Count > 0)
        {
            AddLogs(batch.Logs);
        }
        if (batch.Metrics.Count > 0)
        {
            AddMetrics(batch.Metrics);
        }
        NotifyChanged();
    }

    private void NotifyChanged()
    {
        Interlocked.Increment(ref _version);
        Interlocked.Exchange(ref _changed, NewChangeSignal()).TrySetResult();
    }

    private static TaskCompletionSource NewChangeSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
