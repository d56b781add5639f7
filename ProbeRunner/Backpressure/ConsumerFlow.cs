namespace AspireProber.ProbeRunner.Backpressure;

/// <summary>One stock consumer's updates: what the stock service sent, what the runner read.</summary>
/// <param name="Consumer">The consumer's name (the <c>consumer</c> label of both counters).</param>
/// <param name="Sent">stock_updates_sent_total: updates the stock service has written to this consumer's stream.</param>
/// <param name="Received">stock_updates_received_total: updates the runner's consumer has read.</param>
/// <param name="SentPerSecond">
/// The rate of <see cref="Sent"/>: over the last 10 s from Prometheus, since the previous reading from the services
/// (null on the first one).
/// </param>
/// <param name="ReceivedPerSecond">The rate of <see cref="Received"/>, over the same span as <see cref="SentPerSecond"/>.</param>
public sealed record ConsumerFlow(string Consumer, double Sent, double Received, double? SentPerSecond, double? ReceivedPerSecond)
{
    /// <summary>Sent but not yet read: what the HTTP/2 windows and buffers between the two hold right now.</summary>
    public double InFlight => Sent - Received;

    /// <summary>Every consumer either count names, in name order: the rows of a reading.</summary>
    public static IEnumerable<string> ConsumersOf(IReadOnlyDictionary<string, double> sent, IReadOnlyDictionary<string, double> received) =>
        sent.Keys.Union(received.Keys).Order(StringComparer.Ordinal);
}
