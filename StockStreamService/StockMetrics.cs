using System.Diagnostics.Metrics;
using AspireProber.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace AspireProber.StockStreamService;

/// <summary>
/// The stock stream's instruments (Meter <see cref="MeterName"/>): what was sent per consumer, how far each
/// consumer lags behind the head, and how long writes waited for HTTP/2 flow control — the backpressure made visible.
/// </summary>
public sealed class StockMetrics
{
    /// <summary>The Meter's name, for telemetry setups to subscribe to.</summary>
    public const string MeterName = "AspireProber.Stock";

    // From an unhindered write (tens of microseconds) to a consumer that reads every few seconds (the demo's slow one):
    // the exporters' default buckets are made for milliseconds and would put every write in the first one.
    private static readonly double[] WriteBlockedBuckets = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private readonly Counter<long> _sent;
    private readonly Histogram<double> _writeBlocked;
    private readonly BoundedLabel _consumerLabels;

    /// <summary>Creates the instruments; the gauges read <paramref name="log"/> and <paramref name="streams"/> when collected.</summary>
    public StockMetrics(IMeterFactory meterFactory, StockLog log, ConsumerStreams streams, IOptions<StockOptions> options)
    {
        _consumerLabels = new BoundedLabel(options.Value.MaxConsumerLabels);
        var meter = meterFactory.Create(MeterName);
        _sent = meter.CreateCounter<long>("stock.updates.sent", "{update}",
            "Updates whose write to a consumer completed (HTTP/2 flow control accepted them).");
        _writeBlocked = meter.CreateHistogram("stock.write.blocked.duration", "s",
            "How long each write to a consumer took: time spent waiting for the consumer's flow-control window.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = WriteBlockedBuckets });
        // Every append takes the next sequence, so the head is the count of updates ever appended.
        meter.CreateObservableCounter("stock.updates.published", () => (long)log.Range.Head, "{update}",
            "Updates appended to the log, generated or published.");
        meter.CreateObservableGauge("stock.log.size", () =>
        {
            var range = log.Range;
            return (long)(range.Head + 1 - range.Oldest);
        }, "{update}", "Updates the log retains.");
        meter.CreateObservableGauge("stock.stream.lag", () => ObserveLag(log, streams), "{update}",
            "Head sequence minus the last sequence a consumer's stream has passed; the worst stream when a consumer has several.");
    }

    /// <summary>
    /// The metric label of a consumer: its name for the first <see cref="StockOptions.MaxConsumerLabels"/> distinct
    /// names, then <see cref="BoundedLabel.Other"/>, so clients choosing names cannot grow the series without bound.
    /// </summary>
    public string ConsumerLabel(string consumer) => _consumerLabels.Of(consumer);

    /// <summary>Records one completed write to a consumer and how long it took.</summary>
    public void WriteCompleted(string label, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("consumer", label);
        _sent.Add(1, tag);
        _writeBlocked.Record(duration.TotalSeconds, tag);
    }

    private static IEnumerable<Measurement<long>> ObserveLag(StockLog log, ConsumerStreams streams)
    {
        // Positions first, then the head: a position never passes the head it was read against, so no lag is negative.
        var positions = streams.Snapshot()
            .GroupBy(stream => stream.Label, StringComparer.Ordinal)
            .Select(group => (Label: group.Key, Position: group.Min(stream => stream.Position)))
            .ToList();
        var head = log.Range.Head;
        // A consumer's lag is its furthest-behind stream: summing would count the same backlog once per stream.
        return positions.Select(consumer => new Measurement<long>(
            (long)(head - consumer.Position),
            new KeyValuePair<string, object?>("consumer", consumer.Label)));
    }
}
