using AspireProber.Prober.V1;

namespace AspireProber.HostileBench;

/// <summary>
/// Probe calls on one prober replica: endpoints far past the 64 KB message bound and past the 8 KB endpoint bound,
/// and 1,000 distinct endpoints, each a series the replica's telemetry could keep for good.
/// </summary>
internal sealed class ProberCases(Prober.V1.Prober.ProberClient prober, Uri probeTarget)
{
    // The prober runs 4 probes of one caller at a time and refuses a fifth (RESOURCE_EXHAUSTED).
    private const int Concurrency = 4;
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(10);

    private readonly string _fast = new Uri(probeTarget, "/fast").ToString();
    private readonly Lazy<string> _huge = new(() => Padded($"{new Uri(probeTarget, "/fast")}?q=", 3_900_000));

    /// <summary>The cases, in the order they run.</summary>
    public IReadOnlyList<HostileCase> Cases() =>
    [
        new("prober", "Probe, endpoint of 3.9 MB ×5", 5, (outcomes, cancellationToken) =>
            ProbeEachAsync(outcomes, _ => _huge.Value, cancellationToken)),
        new("prober", "Probe, endpoint of 9 KB ×20", 20, (outcomes, cancellationToken) =>
            ProbeEachAsync(outcomes, _ => Padded($"{_fast}?q=", 9 * 1024), cancellationToken)),
        new("prober", "Probe, 1,000 distinct endpoints (500 queries of 1,000 chars on /fast, 500 hosts 127.0.x.y)", 1_000,
            (outcomes, cancellationToken) => ProbeEachAsync(outcomes, DistinctEndpoint, cancellationToken)),
    ];

    // Even i: a query string of 1,000 characters, starting with i so that each endpoint is another one. Odd i: another
    // loopback host on the target's port, 127.0.1.1 to 127.0.2.250; nothing listens there, so the attempt is refused.
    private string DistinctEndpoint(int i)
    {
        if (i % 2 == 0)
        {
            return $"{_fast}?{Padded($"q={i}-", 1_000)}";
        }
        var host = i / 2;
        return $"http://127.0.{1 + host / 250}.{1 + host % 250}:{probeTarget.Port}/fast";
    }

    private Task ProbeEachAsync(Outcomes outcomes, Func<int, string> endpoint, CancellationToken cancellationToken) =>
        outcomes.RunAsync(Concurrency, async i =>
        {
            ProbeReply? reply = null;
            var status = await Outcomes.StatusOf(async () => reply = await prober.ProbeAsync(new ProbeRequest { Endpoint = endpoint(i), Repetitions = 1 },
                deadline: DateTime.UtcNow + s_deadline, cancellationToken: cancellationToken));
            // A probe whose one attempt failed (refused) is still a successful call; which of the two it was is worth seeing.
            return reply is { SuccessCount: 0 } ? $"{status} (attempt failed)" : status;
        }, cancellationToken);

    private static string Padded(string start, int length) => start + new string('A', Math.Max(0, length - start.Length));
}
