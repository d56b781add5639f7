using AspireProber.Dashboard.Components.Telemetry;
using AspireProber.Dashboard.Telemetry;

namespace AspireProber.Dashboard.Tests.Pages;

/// <summary>The pages' arithmetic without rendering: waterfall layout, gRPC status names, series alignment, resource filters.</summary>
public sealed class PageLogicTests
{
    private static readonly DateTime T0 = new(2026, 1, 2, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void The_waterfall_puts_children_under_their_parent_in_start_order_and_places_bars_on_the_traces_time_axis()
    {
        // Arrival order differs from start order, and one span's parent never arrived.
        var trace = Trace(
            Span("c2", "root", 60, 40),
            Span("root", null, 0, 100),
            Span("c1", "root", 10, 20),
            Span("g1", "c1", 15, 5),
            Span("orphan", "missing", 50, 0));

        var rows = Waterfall.Layout(trace);

        Assert.Equal([("root", 0), ("c1", 1), ("g1", 2), ("c2", 1), ("orphan", 0)], rows.Select(r => (r.Span.SpanId, r.Depth)));
        var c2 = rows.Single(r => r.Span.SpanId == "c2");
        Assert.Equal((60.0, 40.0), (c2.Offset, c2.Width));
        Assert.Equal(Waterfall.MinWidth, rows.Single(r => r.Span.SpanId == "orphan").Width);
    }

    [Fact]
    public void A_parent_cycle_from_a_faulty_sender_still_shows_every_span_once()
    {
        var rows = Waterfall.Layout(Trace(Span("a", "b", 0, 10), Span("b", "a", 5, 10)));

        Assert.Equal(["a", "b"], rows.Select(r => r.Span.SpanId));
    }

    [Fact]
    public void A_duration_label_goes_right_of_its_bar_inside_a_wide_bar_and_left_of_a_short_bar_near_the_end()
    {
        var rows = Waterfall.Layout(Trace(
            Span("root", null, 0, 100),
            Span("early", "root", 10, 20),
            Span("late-short", "root", 92, 6),
            Span("late-wide", "root", 70, 30)));

        var placements = rows.ToDictionary(r => r.Span.SpanId, r => r.LabelPlacement);
        Assert.Equal(DurationLabelPlacement.After, placements["early"]);
        Assert.Equal(DurationLabelPlacement.Before, placements["late-short"]);
        Assert.Equal(DurationLabelPlacement.Inside, placements["late-wide"]);
        Assert.Equal(DurationLabelPlacement.Inside, placements["root"]);
    }

    [Theory]
    [InlineData(0, "OK")]
    [InlineData(4, "DEADLINE_EXCEEDED")]
    [InlineData(14, "UNAVAILABLE")]
    [InlineData(16, "UNAUTHENTICATED")]
    [InlineData(99, "CODE_99")]
    public void Grpc_status_codes_are_named_as_the_spec_names_them(int code, string name) =>
        Assert.Equal(name, TelemetryFormat.GrpcStatusName(code));

    [Fact]
    public void Series_reporting_at_different_times_are_summed_and_subtracted_on_one_time_axis()
    {
        var a = Series((0, 10), (2, 20), (4, 30));
        var b = Series((1, 1), (3, 2));

        var sum = MetricChartData.StepSum([a, b], DateTime.MinValue, p => p.Value);
        var difference = MetricChartData.Difference(MetricChartData.StepSum([a], DateTime.MinValue, p => p.Value), MetricChartData.StepSum([b], DateTime.MinValue, p => p.Value));

        // Before b's first point there is no sum; afterwards each time adds both series' latest values.
        Assert.Equal([(1, 11.0), (2, 21.0), (3, 22.0), (4, 32.0)], sum.Select(p => ((int)(p.Time - T0).TotalSeconds, p.Value)));
        // Within 1..3 s, where both reported: a interpolated at b's times (15 at 1 s, 25 at 3 s), b interpolated at a's (1.5 at 2 s).
        Assert.Equal([(1, 14.0), (2, 18.5), (3, 23.0)], difference.Select(p => ((int)(p.Time - T0).TotalSeconds, p.Value)));
    }

    [Fact]
    public void Histogram_percentiles_cover_the_measurements_of_the_window_before_each_point()
    {
        HistogramValue Cumulative(ulong low, ulong high) => new(low + high, 0, null, null, [10], [low, high]);
        var series = new MetricSeries(new ResourceKey("stock", ""), [],
        [
            new MetricPoint(T0, T0, 0, Cumulative(0, 0)),
            new MetricPoint(T0, T0.AddSeconds(20), 0, Cumulative(100, 0)),
            new MetricPoint(T0, T0.AddSeconds(40), 0, Cumulative(100, 100)),
        ]);

        var p50 = MetricChartData.Percentiles(series, DateTime.MinValue).Single(s => s.Name == "p50");

        // The first window holds only measurements under 10, the second only ones above it.
        Assert.Equal(2, p50.Points.Count);
        Assert.True(p50.Points[0].Value <= 10 && p50.Points[1].Value >= 10, string.Join(", ", p50.Points));
    }

    [Theory]
    [InlineData("", null, null)]
    [InlineData("prober", "prober", null)]
    [InlineData("prober/prober-1", "prober", "prober-1")]
    [InlineData("svc/host/1", "svc", "host/1")]
    public void A_resource_filter_names_a_service_or_one_replica(string value, string? service, string? instance) =>
        Assert.Equal(new ResourceFilter(service, instance), ResourceFilter.Parse(value));

    private static TelemetrySpan Span(string id, string? parent, int startMs, int durationMs) => new(
        new ResourceKey("svc", ""), "test", "t", id, parent, id, TelemetrySpanKind.Internal,
        T0.AddMilliseconds(startMs), T0.AddMilliseconds(startMs + durationMs), TelemetryStatusCode.Unset, "", [], [], []);

    private static TelemetryTrace Trace(params TelemetrySpan[] spans)
    {
        var start = spans.Min(s => s.StartTime);
        var end = spans.Max(s => s.EndTime);
        var sorted = spans.OrderBy(s => s.StartTime).ToArray();
        return new TelemetryTrace(new TraceSummary("t", "root", start, end - start, spans.Length, 0, []), sorted);
    }

    private static MetricSeries Series(params (int Second, double Value)[] points) =>
        new(new ResourceKey("svc", ""), [], points.Select(p => new MetricPoint(T0, T0.AddSeconds(p.Second), p.Value, null)).ToArray());
}
