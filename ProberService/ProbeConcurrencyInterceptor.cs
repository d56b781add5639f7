using System.Threading.RateLimiting;
using AspireProber.ServiceDefaults;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AspireProber.ProberService;

/// <summary>
/// Caps the probes this replica runs at once (<c>Prober:MaxConcurrentProbes</c>) and the share of them one caller may
/// hold (<c>Prober:MaxConcurrentProbesPerCaller</c>), with concurrency limiters that do not queue: past either limit a
/// call fails fast with RESOURCE_EXHAUSTED and a RetryInfo, so the caller can try another replica or come back, while
/// other callers are still served.
/// </summary>
/// <remarks>
/// A caller is the peer's IP address: the one thing a client cannot choose per call. The API key is not used: this
/// prober has one key, shared by every client that has it.
/// </remarks>
public sealed class ProbeConcurrencyInterceptor : Interceptor, IDisposable
{
    private readonly int _limit;
    private readonly int _perCaller;
    private readonly ConcurrencyLimiter _replica;
    // One limiter per caller, created on its first call; the partitioned limiter drops those left idle, so a stream of
    // new peers does not grow it without end.
    private readonly PartitionedRateLimiter<string> _callers;
    private readonly ILogger<ProbeConcurrencyInterceptor> _logger;

    /// <summary>The replica's limiter and the callers' (both without a queue).</summary>
    public ProbeConcurrencyInterceptor(IOptions<ProberOptions> options, ILogger<ProbeConcurrencyInterceptor> logger)
    {
        _limit = options.Value.MaxConcurrentProbes;
        _perCaller = options.Value.MaxConcurrentProbesPerCaller;
        _replica = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = _limit, QueueLimit = 0 });
        _callers = PartitionedRateLimiter.Create<string, string>(caller =>
            RateLimitPartition.GetConcurrencyLimiter(caller, _ => new ConcurrencyLimiterOptions { PermitLimit = _perCaller, QueueLimit = 0 }));
        _logger = logger;
    }

    /// <summary>Probes running now.</summary>
    public int Running => _limit - (int)(_replica.GetStatistics()?.CurrentAvailablePermits ?? _limit);

    /// <inheritdoc />
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        using var leases = Acquire(request, context);
        return await continuation(request, context);
    }

    /// <inheritdoc />
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var leases = Acquire(request, context);
        await continuation(request, responseStream, context);
    }

    /// <summary>The caller's slot, then the replica's: both held for the call, or neither and the call refused.</summary>
    private Leases Acquire(object request, ServerCallContext context)
    {
        var caller = CallerAddress.Of(context);
        var callerLease = _callers.AttemptAcquire(caller);
        if (!callerLease.IsAcquired)
        {
            callerLease.Dispose();
            throw Refuse(request, ProberErrors.TooManyProbesFromCaller(caller, _perCaller));
        }
        var replicaLease = _replica.AttemptAcquire();
        if (!replicaLease.IsAcquired)
        {
            replicaLease.Dispose();
            callerLease.Dispose();
            throw Refuse(request, ProberErrors.TooManyProbes(_limit));
        }
        return new Leases(callerLease, replicaLease);
    }

    private RpcException Refuse(object request, RpcException error)
    {
        ProberLog.ProbeRefused(_logger, request, error);
        return error;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _replica.Dispose();
        _callers.Dispose();
    }

    private sealed class Leases(RateLimitLease caller, RateLimitLease replica) : IDisposable
    {
        public void Dispose()
        {
            replica.Dispose();
            caller.Dispose();
        }
    }
}
