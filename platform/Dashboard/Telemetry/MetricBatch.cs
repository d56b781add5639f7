namespace AspireProber.Dashboard.Telemetry;

/// <summary>
/// Metric data on its way into the store: one instrument's points from one replica, as the sender reported them
/// (<see cref="IsDelta"/> says whether sums and histograms cover only their interval).
/// </summary>
internal sealed record IncomingMetric(
    ResourceKey Resource,
    string Scope,
    string Name,
    string Unit,
    string Description,
    MetricKind Kind,
    bool IsDelta,
    IReadOnlyList<IncomingPoint> Points);

/// <summary>One reported point: the attribute set of its series and its values.</summary>
internal sealed record IncomingPoint(IReadOnlyList<TelemetryAttribute> Attributes, MetricPoint Point);

/// <summary>One validated export batch of any signal, stored all at once.</summary>
internal sealed record TelemetryBatch(
    IReadOnlyList<TelemetryResource> Resources,
    IReadOnlyList<TelemetrySpan> Spans,
    IReadOnlyList<TelemetryLog> Logs,
    IReadOnlyList<IncomingMetric> Metrics)
{
    /// <summary>A batch of spans only.</summary>
    public static TelemetryBatch OfSpans(IReadOnlyList<TelemetryResource> resources, IReadOnlyList<TelemetrySpan> spans) => new(resources, spans, [], []);

    /// <summary>A batch of log records only (their ids are assigned when stored).</summary>
    public static TelemetryBatch OfLogs(IReadOnlyList<TelemetryResource> resources, IReadOnlyList<TelemetryLog> logs) => new(resources, [], logs, []);

    /// <summary>A batch of metrics only.</summary>
    public static TelemetryBatch OfMetrics(IReadOnlyList<TelemetryResource> resources, IReadOnlyList<IncomingMetric> metrics) => new(resources, [], [], metrics);
}
