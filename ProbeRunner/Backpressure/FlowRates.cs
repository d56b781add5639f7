namespace AspireProber.ProbeRunner.Backpressure;

/// <summary>
/// Turns counts read straight from the services into flows with rates: each reading against the one before it (Prometheus'
/// <c>rate()</c> is what is missing). Keeps only the last reading; safe for several pages polling at once.
/// </summary>
public sealed class FlowRates(TimeProvider time)
{
    private readonly Lock _gate = new();
    private Reading? _previous;

    /// <summary>
    /// The flows of <paramref name="sent"/> and <paramref name="received"/> (a consumer missing from one has 0 there),
    /// with rates since the previous call: null on the first, for a consumer new since then, and for a count that went
    /// down (the stock service restarted).
    /// </summary>
    public IReadOnlyList<ConsumerFlow> Flows(IReadOnlyDictionary<string, double> sent, IReadOnlyDictionary<string, double> received)
    {
        var counts = ConsumerFlow.ConsumersOf(sent, received)
            .Select(consumer => new ConsumerFlow(consumer, sent.GetValueOrDefault(consumer), received.GetValueOrDefault(consumer), null, null))
            .ToList();
        Reading? previous;
        Reading current;
        lock (_gate)
        {
            // The timestamp is taken under the lock, so the readings are stored in the order of their timestamps.
            current = new Reading(time.GetTimestamp(), counts.ToDictionary(flow => flow.Consumer, StringComparer.Ordinal));
            previous = _previous;
            _previous = current;
        }
        if (previous is null)
        {
            return counts;
        }
        var seconds = time.GetElapsedTime(previous.Timestamp, current.Timestamp).TotalSeconds;
        return counts
            .Select(flow => previous.Flows.TryGetValue(flow.Consumer, out var before) && seconds > 0
                ? flow with { SentPerSecond = Rate(flow.Sent, before.Sent), ReceivedPerSecond = Rate(flow.Received, before.Received) }
                : flow)
            .ToList();

        double? Rate(double now, double then) => now >= then ? (now - then) / seconds : null;
    }

    private sealed record Reading(long Timestamp, IReadOnlyDictionary<string, ConsumerFlow> Flows);
}
