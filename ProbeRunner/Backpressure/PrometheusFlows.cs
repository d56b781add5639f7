namespace AspireProber.ProbeRunner.Backpressure;

/// <summary>The backpressure view's numbers as Prometheus has them: both counters per consumer and their rates over 10 s.</summary>
public sealed class PrometheusFlows(PrometheusClient prometheus)
{
    // Rates over 10 s: five scrapes at the AppHost's 2 s interval.
    private const string Sent = "sum by (consumer) (stock_updates_sent_total)";
    private const string Received = "sum by (consumer) (stock_updates_received_total)";
    private const string SentRate = "sum by (consumer) (rate(stock_updates_sent_total[10s]))";
    private const string ReceivedRate = "sum by (consumer) (rate(stock_updates_received_total[10s]))";

    /// <summary>Runs the four queries at once and joins them per consumer.</summary>
    public async Task<IReadOnlyList<ConsumerFlow>> ReadAsync(CancellationToken cancellationToken)
    {
        var queries = new[] { Sent, Received, SentRate, ReceivedRate }.Select(q => prometheus.QueryByConsumerAsync(q, cancellationToken)).ToArray();
        var results = await Task.WhenAll(queries);
        var (sent, received, sentRate, receivedRate) = (results[0], results[1], results[2], results[3]);
        return ConsumerFlow.ConsumersOf(sent, received)
            .Select(consumer => new ConsumerFlow(consumer,
                sent.GetValueOrDefault(consumer), received.GetValueOrDefault(consumer),
                sentRate.GetValueOrDefault(consumer), receivedRate.GetValueOrDefault(consumer)))
            .ToList();
    }

    /// <summary>
    /// True for the ways Prometheus can be unreadable: nothing listens or the connection fails, no answer within the
    /// client's timeout, or an answer that is an error or not the API's.
    /// </summary>
    public static bool IsUnreadable(Exception e) => e is HttpRequestException or TaskCanceledException or PrometheusQueryException;
}
