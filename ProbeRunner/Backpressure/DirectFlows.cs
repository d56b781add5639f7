namespace AspireProber.ProbeRunner.Backpressure;

/// <summary>
/// The backpressure view's numbers without Prometheus, read where the counters live: "sent" from the stock service's
/// <c>/metrics</c>, "received" from the runner's own consumers.
/// </summary>
public sealed class DirectFlows(StockMetricsClient stock, StockConsumersWorker consumers, FlowRates rates)
{
    /// <summary>Reads both counts now and joins them per consumer, with rates since the previous reading.</summary>
    /// <exception cref="StockMetricsException">The stock service's /metrics could not be read.</exception>
    public async Task<IReadOnlyList<ConsumerFlow>> ReadAsync(CancellationToken cancellationToken)
    {
        // The consumers' own counts rather than the stock.updates.received counter: every update adds to both
        // (StockConsumer.Count), and reading them in process needs neither a MeterListener nor a request to our own
        // /metrics. Read before "sent": the stock service has sent at least what the runner received at any moment,
        // so a consumer that keeps up shows zero or more in flight, never less.
        var received = consumers.Consumers.ToDictionary(consumer => consumer.Name, consumer => (double)consumer.Received, StringComparer.Ordinal);
        var sent = await stock.ReadSentAsync(cancellationToken);
        return rates.Flows(sent, received);
    }
}
