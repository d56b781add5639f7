using AspireProber.Dashboard.Otlp;
using AspireProber.Dashboard.Telemetry;
using AspireProber.Dashboard.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Proto.Trace.V1;

namespace AspireProber.Dashboard.Tests.Pages;

/// <summary>
/// Puts telemetry with exact times and values into a dashboard's store through its ingest paths (the OTLP receiver for
/// spans, the store's batch API for metric points), for pages whose pictures depend on time: a gap that grows, a
/// waterfall with known offsets.
/// </summary>
public sealed class TelemetryFeed(TestDashboard dashboard)
{
    /// <summary>The stock stream's consumers' attribute, as StockMetrics and RunnerMetrics write it.</summary>
    public const string Consumer = "consumer";

    private static readonly DateTime ProcessStart = DateTime.UtcNow.AddMinutes(-1);

    /// <summary>Stores one cumulative counter point of <paramref name="service"/>'s instrument for a consumer.</summary>
    public void Counter(string service, string name, string consumer, DateTime time, double total) =>
        Metric(service, name, MetricKind.Counter, consumer, new MetricPoint(ProcessStart, time, total, null));

    /// <summary>Stores one gauge point of <paramref name="service"/>'s instrument for a consumer.</summary>
    public void Gauge(string service, string name, string consumer, DateTime time, double value) =>
        Metric(service, name, MetricKind.Gauge, consumer, new MetricPoint(ProcessStart, time, value, null));

    /// <summary>Stores one cumulative histogram point (bounds 0.001, 0.01, 0.1, 1 s: five buckets) for a consumer.</summary>
    public void Histogram(string service, string name, string consumer, DateTime time, double sum, params ulong[] bucketCounts)
    {
        var count = bucketCounts.Aggregate(0UL, (total, c) => total + c);
        var histogram = new HistogramValue(count, sum, null, null, [0.001, 0.01, 0.1, 1], bucketCounts);
        Metric(service, name, MetricKind.Histogram, consumer, new MetricPoint(ProcessStart, time, 0, histogram));
    }

    /// <summary>Sends spans of one replica through the OTLP receiver, as an export would.</summary>
    public void Spans(string service, string instance, params Span[] spans) =>
        dashboard.Services.GetRequiredService<OtlpReceiver>().Export(OtlpMessages.Traces(service, instance, spans), "test");

    private void Metric(string service, string name, MetricKind kind, string consumer, MetricPoint point)
    {
        var resource = new ResourceKey(service, service + "-0");
        var metric = new IncomingMetric(resource, "test", name, "{update}", "", kind, IsDelta: false,
            [new IncomingPoint([new TelemetryAttribute(Consumer, consumer)], point)]);
        dashboard.Store.Add(TelemetryBatch.OfMetrics([new TelemetryResource(resource, [])], [metric]));
    }
}
