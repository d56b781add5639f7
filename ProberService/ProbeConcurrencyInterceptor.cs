using System.Threading.RateLimiting;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AspireProber.ProberService;

/// <summary>
/// Caps the probes this replica runs at once (<c>Prober:MaxConcurrentProbes</c>) with a
/// <see cref="ConcurrencyLimiter"/> that does not queue: past the limit a call fails fast with RESOURCE_EXHAUSTED, so
/// the caller can try another replica instead of waiting behind slow targets.
/// </summary>
public sealed class ProbeConcurrencyInterceptor : Interceptor, IDisposable
{
    private readonly int _limit;
    private readonly ConcurrencyLimiter _limiter;
    private readonly ILogger<ProbeConcurrencyInterceptor> _logger;

    /// <summary>A limiter of <c>Prober:MaxConcurrentProbes</c> permits and no queue.</summary>
    public ProbeConcurrencyInterceptor(IOptions<ProberOptions> options, ILogger<ProbeConcurrencyInterceptor> logger)
    {
        _limit = options.Value.MaxConcurrentProbes;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = _limit, QueueLimit = 0 });
        _logger = logger;
    }

    /// <summary>Probes running now.</summary>
    public int Running => _limit - (int)(_limiter.GetStatistics()?.CurrentAvailablePermits ?? _limit);

    /// <inheritdoc />
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        using var lease = Acquire(request);
        return await continuation(request, context);
    }

    /// <inheritdoc />
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var lease = Acquire(request);
        await continuation(request, responseStream, context);
    }

    private RateLimitLease Acquire(object request)
    {
        var lease = _limiter.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            var error = ProberErrors.TooManyProbes(_limit);
            ProberLog.ProbeRefused(_logger, (request as Prober.V1.ProbeRequest)?.Endpoint ?? "", error.StatusCode, error.Status.Detail);
            throw error;
        }
        return lease;
    }

    /// <inheritdoc />
    public void Dispose() => _limiter.Dispose();
}
