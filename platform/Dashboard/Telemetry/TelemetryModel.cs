namespace AspireProber.Dashboard.Telemetry;

/// <summary>
/// A replica of a service, the unit telemetry is indexed by: OTLP's <c>service.name</c> and
/// <c>service.instance.id</c> resource attributes (the instance id is empty when the sender set none).
/// </summary>
public readonly record struct ResourceKey(string ServiceName, string InstanceId)
{
    /// <summary>"service" or "service/instance": how pages name the replica.</summary>
    public override string ToString() => InstanceId.Length == 0 ? ServiceName : $"{ServiceName}/{InstanceId}";

    /// <summary>True when this replica is one of <paramref name="serviceName"/>'s (any when null) and, if given, is <paramref name="instanceId"/>.</summary>
    public bool Matches(string? serviceName, string? instanceId) =>
        (serviceName is null || ServiceName == serviceName) && (instanceId is null || InstanceId == instanceId);
}

/// <summary>One attribute with its value rendered as text (arrays and maps as JSON-like text, bytes as base64).</summary>
public readonly record struct TelemetryAttribute(string Key, string Value);

/// <summary>A replica that sent telemetry, with the resource attributes it last sent.</summary>
public sealed record TelemetryResource(ResourceKey Key, IReadOnlyList<TelemetryAttribute> Attributes);

/// <summary>The role of a span, as OTLP's SpanKind.</summary>
public enum TelemetrySpanKind
{
    /// <summary>Not given by the sender.</summary>
    Unspecified,
    /// <summary>An operation inside the application.</summary>
    Internal,
    /// <summary>The server side of a remote call.</summary>
    Server,
    /// <summary>The client side of a remote call.</summary>
    Client,
    /// <summary>The sender of an asynchronous message.</summary>
    Producer,
    /// <summary>The receiver of an asynchronous message.</summary>
    Consumer,
}

/// <summary>The outcome of a span, as OTLP's Status.StatusCode.</summary>
public enum TelemetryStatusCode
{
    /// <summary>No status was set (the usual case for a success).</summary>
    Unset,
    /// <summary>Explicitly marked successful.</summary>
    Ok,
    /// <summary>The operation failed.</summary>
    Error,
}

/// <summary>Something that happened at one point during a span.</summary>
public sealed record TelemetrySpanEvent(string Name, DateTime Time, IReadOnlyList<TelemetryAttribute> Attributes);

/// <summary>A reference from a span to another span context.</summary>
public sealed record TelemetrySpanLink(string TraceId, string SpanId, IReadOnlyList<TelemetryAttribute> Attributes);

/// <summary>One span. Ids are lowercase hex (32 characters for a trace, 16 for a span); times are UTC.</summary>
public sealed record TelemetrySpan(
    ResourceKey Resource,
    string Scope,
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    TelemetrySpanKind Kind,
    DateTime StartTime,
    DateTime EndTime,
    TelemetryStatusCode StatusCode,
    string StatusMessage,
    IReadOnlyList<TelemetryAttribute> Attributes,
    IReadOnlyList<TelemetrySpanEvent> Events,
    IReadOnlyList<TelemetrySpanLink> Links)
{
    /// <summary>How long the span took (zero if the sender's end is before its start).</summary>
    public TimeSpan Duration => EndTime > StartTime ? EndTime - StartTime : TimeSpan.Zero;
}

/// <summary>A trace as the traces list shows it.</summary>
/// <param name="Name">The root span's name, or the earliest span's while the root has not arrived.</param>
/// <param name="Resources">Every replica with a span in the trace, in order of first appearance.</param>
public sealed record TraceSummary(
    string TraceId,
    string Name,
    DateTime StartTime,
    TimeSpan Duration,
    int SpanCount,
    int ErrorCount,
    IReadOnlyList<ResourceKey> Resources);

/// <summary>One trace with all its spans received so far, ordered by start time.</summary>
public sealed record TelemetryTrace(TraceSummary Summary, IReadOnlyList<TelemetrySpan> Spans);

/// <summary>One log record. <see cref="Id"/> grows with arrival, so a live tail asks for records after the last id it has.</summary>
/// <param name="Severity">OTLP's severity number: 1-4 trace, 5-8 debug, 9-12 info, 13-16 warn, 17-20 error, 21-24 fatal, 0 unknown.</param>
/// <param name="TraceId">The trace the record was written in (lowercase hex), or null.</param>
/// <param name="SpanId">The span the record was written in (lowercase hex), or null.</param>
public sealed record TelemetryLog(
    long Id,
    ResourceKey Resource,
    string Scope,
    DateTime Time,
    int Severity,
    string SeverityText,
    string Body,
    IReadOnlyList<TelemetryAttribute> Attributes,
    string? TraceId,
    string? SpanId);

/// <summary>What an instrument measures and so how its points read.</summary>
public enum MetricKind
{
    /// <summary>Sampled current values (<see cref="MetricPoint.Value"/> is the value).</summary>
    Gauge,
    /// <summary>A monotonic sum: <see cref="MetricPoint.Value"/> is the total since <see cref="MetricPoint.StartTime"/>; draw its rate and total.</summary>
    Counter,
    /// <summary>A sum that can go down: <see cref="MetricPoint.Value"/> is the current total.</summary>
    UpDownCounter,
    /// <summary>Distributions: <see cref="MetricPoint.Histogram"/> holds count, sum and buckets since <see cref="MetricPoint.StartTime"/>.</summary>
    Histogram,
}

/// <summary>An instrument of a service (across its replicas).</summary>
/// <param name="Scope">The meter name.</param>
public sealed record MetricInstrumentInfo(string ServiceName, string Name, string Unit, string Description, MetricKind Kind, string Scope);

/// <summary>A histogram's state at one time, cumulative since the point's start time.</summary>
/// <param name="Bounds">Inclusive upper bounds of every bucket but the last.</param>
/// <param name="BucketCounts">Measurements per bucket; one more entry than <paramref name="Bounds"/>.</param>
public sealed record HistogramValue(ulong Count, double Sum, double? Min, double? Max, IReadOnlyList<double> Bounds, IReadOnlyList<ulong> BucketCounts)
{
    /// <summary>
    /// The value below which <paramref name="quantile"/> (0..1) of the measurements fall, interpolated linearly inside its
    /// bucket (the first bucket starts at Min or 0, the last ends at Max or the last bound); null when there are none.
    /// </summary>
    public double? Percentile(double quantile)
    {
        var total = 0UL;
        foreach (var count in BucketCounts)
        {
            total += count;
        }
        if (total == 0)
        {
            return null;
        }
        var rank = Math.Clamp(quantile, 0, 1) * total;
        var below = 0UL;
        for (var i = 0; i < BucketCounts.Count; i++)
        {
            var inBucket = BucketCounts[i];
            if (inBucket == 0 || below + inBucket < rank)
            {
                below += inBucket;
                continue;
            }
            var lower = i > 0 ? Bounds[i - 1] : Min ?? Math.Min(0, Bounds.Count > 0 ? Bounds[0] : 0);
            var upper = i < Bounds.Count ? Bounds[i] : Max ?? lower;
            return lower + (upper - lower) * Math.Max(0, rank - below) / inBucket;
        }
        return Max;
    }

    /// <summary>
    /// The measurements made after <paramref name="earlier"/> (a previous point of the same series): for percentiles and
    /// counts over a recent window. Null when the series restarted or changed its buckets in between. Min and max are
    /// unknown for a window.
    /// </summary>
    public HistogramValue? Since(HistogramValue earlier)
    {
        if (earlier.Count > Count || !earlier.Bounds.SequenceEqual(Bounds) || earlier.BucketCounts.Count != BucketCounts.Count)
        {
            return null;
        }
        var buckets = new ulong[BucketCounts.Count];
        for (var i = 0; i < buckets.Length; i++)
        {
            if (earlier.BucketCounts[i] > BucketCounts[i])
            {
                return null;
            }
            buckets[i] = BucketCounts[i] - earlier.BucketCounts[i];
        }
        return new HistogramValue(Count - earlier.Count, Sum - earlier.Sum, null, null, Bounds, buckets);
    }
}

/// <summary>
/// One point of a series. Sums and histograms are always cumulative here (delta exports are added up by the store), so a
/// rate is the difference of two points over their time difference — unless the later point's <see cref="StartTime"/> differs,
/// which means the sender restarted its count (see <see cref="MetricSeries.GetRates"/>).
/// </summary>
/// <param name="Value">Gauge value or sum total; 0 for histograms.</param>
/// <param name="Histogram">The distribution, for histograms only.</param>
public sealed record MetricPoint(DateTime StartTime, DateTime Time, double Value, HistogramValue? Histogram);

/// <summary>The points of one attribute set on one replica, oldest first (at most MaxMetricsCount of them).</summary>
public sealed record MetricSeries(ResourceKey Resource, IReadOnlyList<TelemetryAttribute> Attributes, IReadOnlyList<MetricPoint> Points)
{
    /// <summary>Per-second rates of a counter between consecutive points; a restarted count (new start time or a lower value) starts over.</summary>
    public IReadOnlyList<(DateTime Time, double PerSecond)> GetRates()
    {
        var rates = new List<(DateTime, double)>();
        for (var i = 1; i < Points.Count; i++)
        {
            var (previous, current) = (Points[i - 1], Points[i]);
            var seconds = (current.Time - previous.Time).TotalSeconds;
            var restarted = current.StartTime != previous.StartTime || current.Value < previous.Value;
            if (seconds > 0 && !restarted)
            {
                rates.Add((current.Time, (current.Value - previous.Value) / seconds));
            }
        }
        return rates;
    }
}

/// <summary>An instrument with every series of every replica.</summary>
public sealed record MetricInstrument(MetricInstrumentInfo Info, IReadOnlyList<MetricSeries> Series);

/// <summary>Which traces <see cref="TelemetryStore.GetTraces"/> returns, newest first.</summary>
public sealed record TraceQuery
{
    /// <summary>Only traces with a span from this service (null: any).</summary>
    public string? ServiceName { get; init; }
    /// <summary>Only traces with a span from this replica of the service (null: any replica).</summary>
    public string? InstanceId { get; init; }
    /// <summary>Only traces at least this long.</summary>
    public TimeSpan? MinDuration { get; init; }
    /// <summary>Only traces with at least one span whose status is Error.</summary>
    public bool ErrorsOnly { get; init; }
    /// <summary>At most this many traces.</summary>
    public int Limit { get; init; } = 100;
}

/// <summary>Which log records <see cref="TelemetryStore.GetLogs"/> returns, newest first.</summary>
public sealed record LogQuery
{
    /// <summary>Only records from this service (null: any).</summary>
    public string? ServiceName { get; init; }
    /// <summary>Only records from this replica of the service (null: any replica).</summary>
    public string? InstanceId { get; init; }
    /// <summary>Only records at least this severe (OTLP severity number, e.g. 13 for warnings).</summary>
    public int MinSeverity { get; init; }
    /// <summary>Only records whose body or an attribute value contains this text (case-insensitive).</summary>
    public string? Text { get; init; }
    /// <summary>Only records written in this trace (lowercase hex).</summary>
    public string? TraceId { get; init; }
    /// <summary>Only records with a larger <see cref="TelemetryLog.Id"/> (a live tail passes the last id it has).</summary>
    public long AfterId { get; init; }
    /// <summary>At most this many records.</summary>
    public int Limit { get; init; } = 200;
}

/// <summary>How much the store holds and how much it dropped to stay within its limits (oldest first).</summary>
public sealed record TelemetryCounts(
    int Traces,
    long Spans,
    int Logs,
    long MetricPoints,
    long DroppedTraces,
    long DroppedSpans,
    long DroppedLogs,
    long DroppedMetricPoints);
