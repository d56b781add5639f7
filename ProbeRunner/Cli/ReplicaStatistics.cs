using AspireProber.Prober.V1;

namespace AspireProber.ProbeRunner.Cli;

/// <summary>
/// One replica's statistics from the attempts it streamed, computed as the prober computes ProbeReply: latencies of the
/// attempts that got a response (whatever its status), percentiles by nearest rank.
/// </summary>
public sealed record ReplicaStatistics(
    string Instance, int Attempts, int Successes, int Failures,
    double AverageMs, double MinMs, double P50Ms, double P90Ms, double P99Ms, double MaxMs,
    IReadOnlyDictionary<int, int> StatusCodeCounts, IReadOnlyList<string> FailureReasons)
{
    private const int MaxFailureReasons = 3;

    /// <summary>The statistics of <paramref name="attempts"/>.</summary>
    public static ReplicaStatistics From(IReadOnlyList<ProbeAttempt> attempts)
    {
        var latencies = attempts.Where(a => a.StatusCode != 0).Select(a => a.LatencyMs).Order().ToArray();
        return new ReplicaStatistics(
            attempts.FirstOrDefault(a => a.Replica.Length > 0)?.Replica ?? "",
            attempts.Count,
            attempts.Count(a => a.Success),
            attempts.Count(a => !a.Success),
            latencies.Length == 0 ? 0 : latencies.Average(),
            latencies.FirstOrDefault(),
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.90),
            Percentile(latencies, 0.99),
            latencies.LastOrDefault(),
            attempts.Where(a => a.StatusCode != 0).GroupBy(a => a.StatusCode).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count()),
            attempts.Where(a => a.FailureReason.Length > 0).Select(a => a.FailureReason).Distinct().Take(MaxFailureReasons).ToArray());
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
