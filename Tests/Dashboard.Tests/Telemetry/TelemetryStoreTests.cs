using AspireProber.Dashboard.Otlp;
using AspireProber.Dashboard.Telemetry;
using AspireProber.Dashboard.Tests.Infrastructure;

namespace AspireProber.Dashboard.Tests.Telemetry;

/// <summary>The store's bounds (oldest first, counted), filters, temporality handling and change signal.</summary>
public sealed class TelemetryStoreTests
{
    private static readonly DateTime Start = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
    private static readonly ResourceKey Prober0 = new("prober", "prober-0");
    private static readonly ResourceKey Prober1 = new("prober", "prober-1");

    [Fact]
    public void Beyond_MaxTraceCount_the_oldest_trace_is_dropped_with_its_spans_and_counted()
    {
        var store = new TelemetryStore(new TelemetryLimits { MaxTraceCount = 2 });
        AddSpans(store, Span(1, 1, "a"), Span(1, 2, "a-child", parent: 1));
        AddSpans(store, Span(2, 3, "b"));
        AddSpans(store, Span(3, 4, "c"), Span(2, 5, "b-child", parent: 3));

        Assert.Null(store.GetTrace(OtlpMessages.TraceId(1)));
        Assert.Equal(["c", "b"], store.GetTraces(new TraceQuery()).Select(t => t.Name));
        Assert.Equal(2, store.GetTrace(OtlpMessages.TraceId(2))!.Spans.Count);
        Assert.Equal(new TelemetryCounts(Traces: 2, Spans: 3, Logs: 0, MetricPoints: 0, DroppedTraces: 1, DroppedSpans: 2, DroppedLogs: 0, DroppedMetricPoints: 0), store.GetCounts());
    }

    [Fact]
    public void Traces_filter_by_resource_duration_and_errors_newest_first_up_to_the_limit()
    {
        var store = new TelemetryStore(new TelemetryLimits());
        AddSpans(store, Span(1, 1, "fast", ms: 5));
        AddSpans(store, Span(2, 2, "slow", ms: 500));
        AddSpans(store, Span(3, 3, "failed", ms: 50, error: true));
        AddSpans(store, Span(4, 4, "other replica", ms: 900, resource: Prober1));

        Assert.Equal(["other replica", "failed", "slow", "fast"], Names(new TraceQuery()));
        Assert.Equal(["failed", "slow", "fast"], Names(new TraceQuery { ServiceName = "prober", InstanceId = "prober-0" }));
        Assert.Equal(["other replica", "slow"], Names(new TraceQuery { MinDuration = TimeSpan.FromMilliseconds(100) }));
        Assert.Equal(["failed"], Names(new TraceQuery { ErrorsOnly = true }));
        Assert.Equal(["other replica", "failed"], Names(new TraceQuery { Limit = 2 }));
        Assert.Empty(Names(new TraceQuery { ServiceName = "stock" }));

        string[] Names(TraceQuery query) => store.GetTraces(query).Select(t => t.Name).ToArray();
    }

    [Fact]
    public void A_trace_is_named_after_its_root_once_it_arrives_and_lists_spans_by_start_time()
    {
        var store = new TelemetryStore(new TelemetryLimits());
        AddSpans(store, Span(1, 2, "child", parent: 1, offsetMs: 10, ms: 10, resource: Prober1));
        Assert.Equal("child", store.GetTrace(OtlpMessages.TraceId(1))!.Summary.Name);

        AddSpans(store, Span(1, 1, "root", ms: 100));

        var trace = store.GetTrace(OtlpMessages.TraceId(1).ToUpperInvariant())!;
        Assert.Equal(("root", 2, TimeSpan.FromMilliseconds(100)), (trace.Summary.Name, trace.Summary.SpanCount, trace.Summary.Duration));
        Assert.Equal(["root", "child"], trace.Spans.Select(s => s.Name));
        Assert.Equal([Prober1, Prober0], trace.Summary.Resources);
    }

    [Fact]
    public void Beyond_MaxLogCount_the_oldest_records_are_dropped_and_ids_keep_growing()
    {
        var store = new TelemetryStore(new TelemetryLimits { MaxLogCount = 3 });
        for (var i = 1; i <= 5; i++)
        {
            store.Add(TelemetryBatch.OfLogs([], [Log("message " + i)]));
        }

        Assert.Equal([5L, 4L, 3L], store.GetLogs(new LogQuery()).Select(l => l.Id));
        Assert.Equal([5L], store.GetLogs(new LogQuery { AfterId = 4 }).Select(l => l.Id));
        Assert.Equal((3, 2L), (store.GetCounts().Logs, store.GetCounts().DroppedLogs));
    }

    [Fact]
    public void Logs_filter_by_resource_severity_text_and_trace()
    {
        var store = new TelemetryStore(new TelemetryLimits());
        store.Add(TelemetryBatch.OfLogs([], [
            Log("probe ok", severity: 9),
            Log("probe failed", severity: 17, traceId: OtlpMessages.TraceId(7)),
            Log("stock lagging", severity: 13, resource: Prober1, attribute: new("stream", "SLOW-consumer")),
        ]));

        Assert.Equal(["stock lagging", "probe failed"], Bodies(new LogQuery { MinSeverity = 13 }));
        Assert.Equal(["probe failed", "probe ok"], Bodies(new LogQuery { ServiceName = "prober", InstanceId = "prober-0" }));
        Assert.Equal(["probe failed"], Bodies(new LogQuery { Text = "FAILED" }));
        Assert.Equal(["stock lagging"], Bodies(new LogQuery { Text = "slow-consumer" }));
        Assert.Equal(["probe failed"], Bodies(new LogQuery { TraceId = OtlpMessages.TraceId(7) }));
        Assert.Equal(["stock lagging"], Bodies(new LogQuery { Limit = 1 }));

        string[] Bodies(LogQuery query) => store.GetLogs(query).Select(l => l.Body).ToArray();
    }

    [Fact]
    public void Delta_sums_are_added_up_into_cumulative_points_per_replica_and_attribute_set()
    {
        var store = new TelemetryStore(new TelemetryLimits());
        AddSum(store, Prober0, isDelta: true, ("fast", 1, 3), ("slow", 1, 1));
        AddSum(store, Prober0, isDelta: true, ("fast", 2, 2));
        AddSum(store, Prober1, isDelta: true, ("fast", 2, 10));

        var series = store.GetInstrument("prober", "sent")!.Series;

        Assert.Equal(
            [(Prober0, "fast", new[] { 3.0, 5.0 }), (Prober0, "slow", new[] { 1.0 }), (Prober1, "fast", new[] { 10.0 })],
            series.Select(s => (s.Resource, s.Attributes[0].Value, s.Points.Select(p => p.Value).ToArray())));
        Assert.All(series[0].Points, p => Assert.Equal(Start, p.StartTime));
    }

    [Fact]
    public void Cumulative_sums_are_kept_as_sent_and_rates_start_over_after_a_restart()
    {
        var store = new TelemetryStore(new TelemetryLimits());
        AddSum(store, Prober0, isDelta: false, ("fast", 1, 10));
        AddSum(store, Prober0, isDelta: false, ("fast", 3, 30));
        // The process restarted: a new start time and a lower total.
        store.Add(TelemetryBatch.OfMetrics([], [Sum(Prober0, false, [("fast", 4, 2)], start: Start.AddSeconds(3.5))]));
        store.Add(TelemetryBatch.OfMetrics([], [Sum(Prober0, false, [("fast", 5, 6)], start: Start.AddSeconds(3.5))]));

        var series = Assert.Single(store.GetInstrument("prober", "sent")!.Series);

        Assert.Equal([10.0, 30.0, 2.0, 6.0], series.Points.Select(p => p.Value));
        Assert.Equal([(Start.AddSeconds(3), 10.0), (Start.AddSeconds(5), 4.0)], series.GetRates());
    }

    [Fact]
    public void Delta_histograms_add_up_counts_sums_and_buckets()
    {
        var store = new TelemetryStore(new TelemetryLimits());
        store.Add(TelemetryBatch.OfMetrics([], [Histogram(new HistogramValue(2, 0.6, 0.1, 0.5, [0.25, 1], [1, 1, 0]), 1)]));
        store.Add(TelemetryBatch.OfMetrics([], [Histogram(new HistogramValue(1, 3, 3, 3, [0.25, 1], [0, 0, 1]), 2)]));

        var last = Assert.Single(store.GetInstrument("prober", "latency")!.Series).Points[^1];

        Assert.Equal(Start, last.StartTime);
        var histogram = last.Histogram!;
        Assert.Equal((3UL, 3.6, 0.1, 3.0), (histogram.Count, histogram.Sum, histogram.Min, histogram.Max));
        Assert.Equal([1UL, 1UL, 1UL], histogram.BucketCounts);
    }

    [Fact]
    public void Beyond_MaxMetricsCount_the_oldest_points_of_a_series_are_dropped_and_counted()
    {
        var store = new TelemetryStore(new TelemetryLimits { MaxMetricsCount = 2 });
        for (var second = 1; second <= 5; second++)
        {
            AddSum(store, Prober0, isDelta: false, ("fast", second, second));
        }

        Assert.Equal([4.0, 5.0], Assert.Single(store.GetInstrument("prober", "sent")!.Series).Points.Select(p => p.Value));
        Assert.Equal((2L, 3L), (store.GetCounts().MetricPoints, store.GetCounts().DroppedMetricPoints));
    }

    [Fact]
    public async Task WaitForChangeAsync_completes_on_the_next_batch_and_at_once_for_an_old_version()
    {
        var store = new TelemetryStore(new TelemetryLimits());
        var version = store.Version;
        var waiting = store.WaitForChangeAsync(version);
        Assert.False(waiting.IsCompleted);

        AddSpans(store, Span(1, 1, "a"));

        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(store.WaitForChangeAsync(version).IsCompleted);
        Assert.False(store.WaitForChangeAsync(store.Version).IsCompleted);
    }

    [Fact]
    public void Resources_are_listed_once_per_replica_with_their_latest_attributes()
    {
        var store = new TelemetryStore(new TelemetryLimits());
        var decoder = new OtlpDecoder(store.Limits);
        store.Add(decoder.Decode(OtlpMessages.Traces("prober", "prober-1", OtlpMessages.Span(OtlpMessages.TraceId(1), OtlpMessages.SpanId(1), "a", Start, 1))));
        store.Add(decoder.Decode(OtlpMessages.Traces("prober", "prober-0", OtlpMessages.Span(OtlpMessages.TraceId(2), OtlpMessages.SpanId(2), "b", Start, 1))));
        store.Add(decoder.Decode(OtlpMessages.Traces("prober", "prober-0", OtlpMessages.Span(OtlpMessages.TraceId(3), OtlpMessages.SpanId(3), "c", Start, 1))));

        Assert.Equal([Prober0, Prober1], store.GetResources().Select(r => r.Key));
    }

    private static TelemetrySpan Span(int trace, int span, string name, int? parent = null, int ms = 10, int offsetMs = 0, bool error = false, ResourceKey? resource = null) =>
        new(resource ?? Prober0, "test", OtlpMessages.TraceId(trace), OtlpMessages.SpanId(span), parent is null ? null : OtlpMessages.SpanId(parent.Value), name, TelemetrySpanKind.Internal,
            Start.AddMilliseconds(offsetMs), Start.AddMilliseconds(offsetMs + ms), error ? TelemetryStatusCode.Error : TelemetryStatusCode.Unset, "", [], [], []);

    private static void AddSpans(TelemetryStore store, params TelemetrySpan[] spans) => store.Add(TelemetryBatch.OfSpans([], spans));

    private static TelemetryLog Log(string body, int severity = 9, string? traceId = null, ResourceKey? resource = null, TelemetryAttribute? attribute = null) =>
        new(0, resource ?? Prober0, "test", Start, severity, "", body, attribute is { } a ? [a] : [], traceId, null);

    private static void AddSum(TelemetryStore store, ResourceKey resource, bool isDelta, params (string Stream, int Second, double Value)[] points) =>
        store.Add(TelemetryBatch.OfMetrics([], [Sum(resource, isDelta, points.Select(p => (p.Stream, (double)p.Second, p.Value)).ToArray())]));

    private static IncomingMetric Sum(ResourceKey resource, bool isDelta, (string Stream, double Second, double Value)[] points, DateTime? start = null) =>
        new(resource, "test", "sent", "{update}", "", MetricKind.Counter, isDelta, points.Select(p => new IncomingPoint(
            [new TelemetryAttribute("stream", p.Stream)],
            // A delta point starts where the previous interval ended; a cumulative one at the series start.
            new MetricPoint(isDelta ? Start.AddSeconds(p.Second - 1) : start ?? Start, Start.AddSeconds(p.Second), p.Value, null))).ToArray());

    private static IncomingMetric Histogram(HistogramValue value, int second) =>
        new(Prober0, "test", "latency", "s", "", MetricKind.Histogram, IsDelta: true,
            [new IncomingPoint([], new MetricPoint(Start.AddSeconds(second - 1), Start.AddSeconds(second), 0, value))]);
}
