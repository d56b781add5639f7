using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Resource.V1;

namespace AspireProber.DashboardBench;

/// <summary>
/// What the logs, metrics and backpressure pages show in the page render timing: log records up to the store's limit,
/// and five minutes of the stock stream's instruments at one export per second (as the AppHost configures them).
/// </summary>
internal static class PageData
{
    public const int MetricSeconds = 300;
    private static readonly double[] BlockedBounds = [0.0001, 0.001, 0.01, 0.1, 1];

    /// <summary>Log requests of 500 records each from the runner, every eighth a warning, all with two attributes and a trace id.</summary>
    public static IEnumerable<ExportLogsServiceRequest> Logs(int records)
    {
        var start = DateTime.UtcNow.AddMinutes(-5);
        for (var first = 0; first < records; first += 500)
        {
            var scope = new ScopeLogs { Scope = new InstrumentationScope { Name = "AspireProber.ProbeRunner.Rounds" } };
            for (var i = first; i < Math.Min(first + 500, records); i++)
            {
                scope.LogRecords.Add(new LogRecord
                {
                    TimeUnixNano = Nanos(start.AddMilliseconds(i * 30)),
                    SeverityNumber = i % 8 == 0 ? SeverityNumber.Warn : SeverityNumber.Info,
                    SeverityText = i % 8 == 0 ? "Warning" : "Information",
                    Body = new AnyValue { StringValue = $"Probe round {i} finished: 3 replicas, {i % 5} failed attempts" },
                    Attributes = { Text("Round", i.ToString(System.Globalization.CultureInfo.InvariantCulture)), Text("Replica", $"prober-{i % 3}") },
                    TraceId = ByteString.CopyFrom(Guid.NewGuid().ToByteArray()),
                });
            }
            yield return new ExportLogsServiceRequest { ResourceLogs = { new ResourceLogs { Resource = Resource("runner"), ScopeLogs = { scope } } } };
        }
    }

    /// <summary>One metrics request per second of <see cref="MetricSeconds"/>: the stock service's and the runner's exports.</summary>
    public static IEnumerable<ExportMetricsServiceRequest> StockMetrics()
    {
        var start = DateTime.UtcNow.AddSeconds(-MetricSeconds);
        for (var second = 1; second <= MetricSeconds; second++)
        {
            var time = start.AddSeconds(second);
            var stock = new ScopeMetrics { Scope = new InstrumentationScope { Name = "AspireProber.Stock" } };
            var runner = new ScopeMetrics { Scope = new InstrumentationScope { Name = "AspireProber.Runner" } };
            var sent = new Sum { IsMonotonic = true, AggregationTemporality = AggregationTemporality.Cumulative };
            var received = new Sum { IsMonotonic = true, AggregationTemporality = AggregationTemporality.Cumulative };
            var lag = new Gauge();
            var blocked = new Histogram { AggregationTemporality = AggregationTemporality.Cumulative };
            foreach (var (consumer, perSecond) in new[] { ("fast", 20), ("slow", 5) })
            {
                var count = (double)(perSecond * second);
                sent.DataPoints.Add(Point(start, time, consumer, count + (consumer == "slow" ? 200 : 0)));
                received.DataPoints.Add(Point(start, time, consumer, count));
                lag.DataPoints.Add(Point(start, time, consumer, 20.0 * second - count));
                var writes = (ulong)(perSecond * second);
                blocked.DataPoints.Add(new HistogramDataPoint
                {
                    Attributes = { Text("consumer", consumer) },
                    StartTimeUnixNano = Nanos(start),
                    TimeUnixNano = Nanos(time),
                    Count = writes,
                    Sum = consumer == "slow" ? second * 0.9 : writes * 0.00005,
                    ExplicitBounds = { BlockedBounds },
                    BucketCounts = { consumer == "slow" ? new ulong[] { 0, 0, 0, writes / 2, writes - writes / 2, 0 } : [writes, 0, 0, 0, 0, 0] },
                });
            }
            stock.Metrics.Add(new Metric { Name = "stock.updates.sent", Unit = "{update}", Sum = sent });
            stock.Metrics.Add(new Metric { Name = "stock.stream.lag", Unit = "{update}", Gauge = lag });
            stock.Metrics.Add(new Metric { Name = "stock.write.blocked.duration", Unit = "s", Histogram = blocked });
            runner.Metrics.Add(new Metric { Name = "stock.updates.received", Unit = "{update}", Sum = received });
            yield return new ExportMetricsServiceRequest
            {
                ResourceMetrics =
                {
                    new ResourceMetrics { Resource = Resource("stock"), ScopeMetrics = { stock } },
                    new ResourceMetrics { Resource = Resource("runner"), ScopeMetrics = { runner } },
                },
            };
        }
    }

    private static NumberDataPoint Point(DateTime start, DateTime time, string consumer, double value) => new()
    {
        Attributes = { Text("consumer", consumer) },
        StartTimeUnixNano = Nanos(start),
        TimeUnixNano = Nanos(time),
        AsDouble = value,
    };

    private static Resource Resource(string service) => new() { Attributes = { Text("service.name", service), Text("service.instance.id", service + "-0") } };

    private static ulong Nanos(DateTime time) => (ulong)(time - DateTime.UnixEpoch).Ticks * 100;

    private static KeyValue Text(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };
}
