using AspireProber.Prober.V1;
using Google.Protobuf.WellKnownTypes;

namespace AspireProber.ProberService;

/// <summary>
/// Accumulates a probe's attempts into its <see cref="ProbeReply"/>. Latencies count every attempt that got a
/// complete response, whatever its status; attempts without one count only as failures.
/// </summary>
public sealed class ProbeStatistics
{
    /// <summary>How many distinct failure reasons a reply lists: enough to diagnose, bounded for the message size.</summary>
    public const int MaxFailureReasons = 5;

    private readonly List<double> _latencies = [];
    private readonly Dictionary<int, int> _statusCounts = [];
    private readonly List<string> _failureReasons = [];
    private double _timeToFirstByteSum;
    private int _attempts;
    private int _successes;

    /// <summary>Attempts added so far.</summary>
    public int Attempts => _attempts;

    /// <summary>Mean full-body latency so far, or null before any attempt got a response.</summary>
    public double? AverageLatencyMs => _latencies.Count == 0 ? null : _latencies.Average();

    /// <summary>Adds one attempt.</summary>
    public void Add(ProbeAttempt attempt)
    {
        _attempts++;
        if (attempt.Success)
        {
            _successes++;
        }
        else if (_failureReasons.Count < MaxFailureReasons && !_failureReasons.Contains(attempt.FailureReason))
        {
            _failureReasons.Add(attempt.FailureReason);
        }
        if (attempt.StatusCode != 0)
        {
            _statusCounts[attempt.StatusCode] = _statusCounts.GetValueOrDefault(attempt.StatusCode) + 1;
            _latencies.Add(attempt.LatencyMs);
            _timeToFirstByteSum += attempt.TimeToFirstByteMs;
        }
    }

    /// <summary>The reply for the attempts added so far.</summary>
    public ProbeReply ToReply(string endpoint, string replica, DateTime startedAtUtc)
    {
        var reply = new ProbeReply
        {
            Endpoint = endpoint,
            Repetitions = _attempts,
            SuccessCount = _successes,
            FailureCount = _attempts - _successes,
            Replica = replica,
            StartedAt = Timestamp.FromDateTime(startedAtUtc),
        };
        reply.StatusCodeCounts.Add(_statusCounts);
        reply.FailureReasons.AddRange(_failureReasons);
        if (_latencies.Count > 0)
        {
            var sorted = _latencies.Order().ToArray();
            reply.AverageLatencyMs = sorted.Average();
            reply.MinLatencyMs = sorted[0];
            reply.MaxLatencyMs = sorted[^1];
            reply.P50LatencyMs = NearestRank(sorted, 50);
            reply.P90LatencyMs = NearestRank(sorted, 90);
            reply.P99LatencyMs = NearestRank(sorted, 99);
            reply.AverageTimeToFirstByteMs = _timeToFirstByteSum / sorted.Length;
        }
        return reply;
    }

    /// <summary>
    /// The nearest-rank percentile: the smallest value with at least <paramref name="percentile"/>% of the values at
    /// or below it. Always one of the measured values, never an interpolation between two.
    /// </summary>
    public static double NearestRank(IReadOnlyList<double> sorted, double percentile)
    {
        if (sorted.Count == 0)
        {
            throw new ArgumentException("No values.", nameof(sorted));
        }
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}
