using AspireProber.ServiceDefaults;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AspireProber.ProberService;

/// <summary>
/// Caps the probes this replica runs at once (<c>Prober:MaxConcurrentProbes</c>) and the share of them one caller may
/// hold (<c>Prober:MaxConcurrentProbesPerCaller</c>): past either limit a call fails fast with RESOURCE_EXHAUSTED and a
/// RetryInfo, so the caller can try another replica or come back, while other callers are still served.
/// </summary>
/// <remarks>
/// A caller is the peer's IP address (<see cref="CallerAddress"/>). The API key is not used: this prober has one key,
/// shared by every client that has it.
/// </remarks>
public sealed class ProbeConcurrencyInterceptor(IOptions<ProberOptions> options, ILogger<ProbeConcurrencyInterceptor> logger) : Interceptor, IDisposable
{
    private readonly CallerConcurrencyLimiter _limiter = new(options.Value.MaxConcurrentProbes, options.Value.MaxConcurrentProbesPerCaller);

    /// <summary>Probes running now.</summary>
    public int Running => _limiter.Running;

    /// <inheritdoc />
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        using var slots = Acquire(request, context);
        return await continuation(request, context);
    }

    /// <inheritdoc />
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var slots = Acquire(request, context);
        await continuation(request, responseStream, context);
    }

    private IDisposable Acquire(object request, ServerCallContext context)
    {
        if (_limiter.TryAcquire(CallerAddress.Of(context), out var refusal) is { } slots)
        {
            return slots;
        }
        var error = refusal == CallerConcurrencyLimiter.Refusal.CallerLimit
            ? ProberErrors.TooManyProbesFromCaller(CallerAddress.Of(context), options.Value.MaxConcurrentProbesPerCaller)
            : ProberErrors.TooManyProbes(options.Value.MaxConcurrentProbes);
        ProberLog.ProbeRefused(logger, request, error);
        throw error;
    }

    /// <inheritdoc />
    public void Dispose() => _limiter.Dispose();
}
