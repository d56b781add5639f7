using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client.Configuration;

namespace Grpc.Net.Client.Internal;

/// <summary>
/// The retry schedule of one call (gRFC A6): which failures are retried, and after what jittered, exponentially
/// growing delay. Whether the call is still retryable at all (not committed, not past its deadline) is the call's part.
/// </summary>
internal sealed class RetryBackoff
{
    /// <summary>The trailer a server sets to ask for a specific delay (ms), or to stop retries (a negative or bad value).</summary>
    public const string PushbackTrailer = "grpc-retry-pushback-ms";

    /// <summary>The request header that tells the server how many attempts came before this one.</summary>
    public const string PreviousAttemptsHeader = "grpc-previous-rpc-attempts";

    private readonly RetryPolicy _policy;
    private readonly int _maxAttempts;
    private double _nextBackoffMilliseconds;

    public RetryBackoff(RetryPolicy policy, int? maxAttemptsCap)
    {
        _policy = policy;
        _maxAttempts = Math.Min(policy.MaxAttempts!.Value, maxAttemptsCap ?? int.MaxValue);
        _nextBackoffMilliseconds = policy.InitialBackoff!.Value.TotalMilliseconds;
    }

    /// <summary>
    /// Whether attempt number <paramref name="attempts"/> that failed with <paramref name="status"/> gets another
    /// attempt, and after what delay.
    /// </summary>
    public bool ShouldRetry(Status status, Metadata? trailers, int attempts, out TimeSpan delay)
    {
        delay = TimeSpan.Zero;
        if (attempts >= _maxAttempts || !_policy.RetryableStatusCodes.Contains(status.StatusCode))
        {
            return false;
        }
        if (trailers?.Get(PushbackTrailer) is { IsBinary: false } pushback)
        {
            if (!int.TryParse(pushback.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds))
            {
                return false;
            }
            delay = TimeSpan.FromMilliseconds(milliseconds);
        }
        else
        {
            // Full jitter: a random delay up to the current bound spreads retries of many clients apart.
            delay = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * _nextBackoffMilliseconds);
        }
        _nextBackoffMilliseconds = Math.Min(_nextBackoffMilliseconds * _policy.BackoffMultiplier!.Value, _policy.MaxBackoff!.Value.TotalMilliseconds);
        return true;
    }
}
