using Grpc.Core;

namespace Grpc.Net.Client.Configuration;

/// <summary>
/// Retries of failed calls (gRFC A6): up to <see cref="MaxAttempts"/> attempts in all, the n-th retry after a random
/// delay between 0 and min(<see cref="InitialBackoff"/> × <see cref="BackoffMultiplier"/>^(n-1), <see cref="MaxBackoff"/>),
/// only for <see cref="RetryableStatusCodes"/> and only while nothing of the response has been received.
/// </summary>
public sealed class RetryPolicy
{
    /// <summary>Attempts in all, the first included; at least 2. Capped by <see cref="GrpcChannelOptions.MaxRetryAttempts"/>.</summary>
    public int? MaxAttempts { get; set; }

    /// <summary>The upper bound of the first retry's random delay; greater than zero.</summary>
    public TimeSpan? InitialBackoff { get; set; }

    /// <summary>The upper bound of any retry's random delay; greater than zero.</summary>
    public TimeSpan? MaxBackoff { get; set; }

    /// <summary>How much the delay bound grows after each retry; greater than zero.</summary>
    public double? BackoffMultiplier { get; set; }

    /// <summary>The status codes worth retrying, typically UNAVAILABLE.</summary>
    public IList<StatusCode> RetryableStatusCodes { get; } = new List<StatusCode>();

    /// <summary>Throws when a field is missing or out of range, so a bad config fails when the channel is created.</summary>
    internal void Validate()
    {
        if (MaxAttempts is not > 1)
        {
            throw new InvalidOperationException("RetryPolicy.MaxAttempts must be greater than 1.");
        }
        if (InitialBackoff is not { } initial || initial <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("RetryPolicy.InitialBackoff must be greater than zero.");
        }
        if (MaxBackoff is not { } max || max <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("RetryPolicy.MaxBackoff must be greater than zero.");
        }
        if (BackoffMultiplier is not > 0)
        {
            throw new InvalidOperationException("RetryPolicy.BackoffMultiplier must be greater than zero.");
        }
        if (RetryableStatusCodes.Count == 0)
        {
            throw new InvalidOperationException("RetryPolicy.RetryableStatusCodes must name at least one status code.");
        }
        if (RetryableStatusCodes.Contains(StatusCode.OK))
        {
            throw new InvalidOperationException("RetryPolicy.RetryableStatusCodes cannot contain OK.");
        }
    }
}
