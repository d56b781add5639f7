using System.Threading.RateLimiting;

namespace AspireProber.ServiceDefaults;

/// <summary>
/// How many calls (or streams) a server runs at once, in all and per caller (<see cref="CallerAddress"/>), with
/// concurrency limiters that do not queue: past either limit a call is refused at once, so the caller can go elsewhere
/// or come back while other callers are still served. Each service turns a refusal into its own RESOURCE_EXHAUSTED.
/// </summary>
public sealed class CallerConcurrencyLimiter : IDisposable
{
    private readonly int _limit;
    private readonly ConcurrencyLimiter _all;
    // One limiter per caller, created on its first call; the partitioned limiter drops those left idle, so a stream of
    // new peers does not grow it without end.
    private readonly PartitionedRateLimiter<string> _callers;

    /// <summary>At most <paramref name="limit"/> calls at once, and <paramref name="perCaller"/> of them from one caller.</summary>
    public CallerConcurrencyLimiter(int limit, int perCaller)
    {
        _limit = limit;
        _all = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = limit, QueueLimit = 0 });
        _callers = PartitionedRateLimiter.Create<string, string>(caller =>
            RateLimitPartition.GetConcurrencyLimiter(caller, _ => new ConcurrencyLimiterOptions { PermitLimit = perCaller, QueueLimit = 0 }));
    }

    /// <summary>Calls running now.</summary>
    public int Running => _limit - (int)(_all.GetStatistics()?.CurrentAvailablePermits ?? _limit);

    /// <summary>
    /// The slot of <paramref name="caller"/> (its <see cref="CallerAddress"/>), then one of the server's: both held
    /// until the returned lease is disposed, or neither and null with <paramref name="refusal"/> saying which limit was
    /// reached.
    /// </summary>
    public IDisposable? TryAcquire(string caller, out Refusal refusal)
    {
        var callerLease = _callers.AttemptAcquire(caller);
        if (!callerLease.IsAcquired)
        {
            callerLease.Dispose();
            refusal = Refusal.CallerLimit;
            return null;
        }
        var lease = _all.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            callerLease.Dispose();
            refusal = Refusal.ServerLimit;
            return null;
        }
        refusal = Refusal.None;
        return new Leases(callerLease, lease);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _all.Dispose();
        _callers.Dispose();
    }

    /// <summary>Why a call was refused.</summary>
    public enum Refusal
    {
        /// <summary>It was not: the call holds its slots.</summary>
        None,

        /// <summary>Its caller already runs its share.</summary>
        CallerLimit,

        /// <summary>The server already runs its limit.</summary>
        ServerLimit,
    }

    private sealed class Leases(RateLimitLease caller, RateLimitLease server) : IDisposable
    {
        public void Dispose()
        {
            server.Dispose();
            caller.Dispose();
        }
    }
}
