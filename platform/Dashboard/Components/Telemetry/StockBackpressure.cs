using AspireProber.Dashboard.Components.Charts;
using AspireProber.Dashboard.Telemetry;

namespace AspireProber.Dashboard.Components.Telemetry;

/// <summary>One stock stream consumer's side of the backpressure picture, over the charts' time span.</summary>
/// <param name="Sent">Updates the stock service's writes completed for this consumer (summed over its replicas).</param>
/// <param name="Received">Updates the runner received as this consumer.</param>
/// <param name="Gap">Sent minus received at each of the runner's export times: updates in flight or buffered between the two.</param>
/// <param name="Lag">The stock service's lag gauge: how far behind the log's head the consumer's stream is.</param>
/// <param name="Blocked">Percentiles of how long each write waited for flow control, in milliseconds.</param>
/// <param name="BlockedPerSecond">Seconds the service spent blocked writing to this consumer per second.</param>
public sealed record ConsumerBackpressure(
    string Consumer,
    IReadOnlyList<(DateTime Time, double Value)> Sent,
    IReadOnlyList<(DateTime Time, double Value)> Received,
    IReadOnlyList<(DateTime Time, double Value)> Gap,
    IReadOnlyList<(DateTime Time, double Value)> Lag,
    IReadOnlyList<ChartSeries> Blocked,
    ChartSeries BlockedPerSecond)
{
    /// <summary>The newest value of a line, or null when it has none.</summary>
    public static double? Latest(IReadOnlyList<(DateTime Time, double Value)> line) => line.Count > 0 ? line[^1].Value : null;
}

/// <summary>
/// Reads the stock stream's instruments, from whichever services sent them, per consumer (attribute
/// <see cref="ConsumerAttribute"/>): StockStreamService's StockMetrics and ProbeRunner's RunnerMetrics name them.
/// </summary>
public static class StockBackpressure
{
    /// <summary>The attribute naming the consumer on every stock instrument.</summary>
    public const string ConsumerAttribute = "consumer";

    /// <summary>Counter of completed writes per consumer (stock service; Prometheus stock_updates_sent_total).</summary>
    public const string SentInstrument = "stock.updates.sent";

    /// <summary>Counter of received updates per consumer (runner; Prometheus stock_updates_received_total).</summary>
    public const string ReceivedInstrument = "stock.updates.received";

    /// <summary>Gauge of each consumer's distance behind the head of the log (stock service).</summary>
    public const string LagInstrument = "stock.stream.lag";

    /// <summary>Histogram of each write's duration in seconds, i.e. its wait for flow control (stock service).</summary>
    public const string BlockedInstrument = "stock.write.blocked.duration";

    /// <summary>Every consumer seen on the sent or received counters, by name, with the charts' time span.</summary>
    public static (IReadOnlyList<ConsumerBackpressure> Consumers, DateTime From, DateTime To) Read(TelemetryStore store)
    {
        var instruments = store.GetInstruments();
        var sent = SeriesOf(store, instruments, SentInstrument);
        var received = SeriesOf(store, instruments, ReceivedInstrument);
        var lag = SeriesOf(store, instruments, LagInstrument);
        var blocked = SeriesOf(store, instruments, BlockedInstrument);
        var all = sent.Concat(received).Concat(lag).Concat(blocked).ToArray();
        var from = MetricChartData.From(all);
        var to = all.Select(s => s.Points.Count > 0 ? s.Points[^1].Time : DateTime.MinValue).DefaultIfEmpty(DateTime.MinValue).Max();
        var consumers = sent.Concat(received)
            .Select(ConsumerOf)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(consumer =>
            {
                MetricSeries[] Of(IEnumerable<MetricSeries> series) => series.Where(s => ConsumerOf(s) == consumer).ToArray();
                var sentLine = MetricChartData.StepSum(Of(sent), from, p => p.Value);
                var receivedLine = MetricChartData.StepSum(Of(received), from, p => p.Value);
                var blockedSeries = Of(blocked);
                return new ConsumerBackpressure(
                    consumer,
                    sentLine,
                    receivedLine,
                    MetricChartData.Difference(sentLine, receivedLine),
                    MetricChartData.StepSum(Of(lag), from, p => p.Value),
                    // One replica's distribution: percentiles of several replicas cannot be added up.
                    blockedSeries.Length > 0 ? MetricChartData.Percentiles(blockedSeries[0], from, scale: 1000) : [],
                    blockedSeries.Length > 0 ? MetricChartData.SumRates("blocked s/s", blockedSeries[0], from) : new ChartSeries("blocked s/s", []));
            })
            .ToArray();
        return (consumers, from, to);
    }

    private static string? ConsumerOf(MetricSeries series) =>
        series.Attributes.FirstOrDefault(a => a.Key == ConsumerAttribute) is { Key: not null } attribute ? attribute.Value : null;

    private static IReadOnlyList<MetricSeries> SeriesOf(TelemetryStore store, IReadOnlyList<MetricInstrumentInfo> instruments, string name) =>
        instruments.Where(i => i.Name == name).SelectMany(i => store.GetInstrument(i.ServiceName, i.Name)?.Series ?? []).ToArray();
}
