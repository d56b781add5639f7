using AspireProber.ServiceDefaults;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;

namespace AspireProber.ProbeRunner;

/// <summary>
/// Caps the ProbeAll and ProbeAny calls the runner serves at once (<c>Runner:MaxConcurrentCalls</c>) and per caller
/// (<c>Runner:MaxConcurrentCallsPerCaller</c>): past either, RESOURCE_EXHAUSTED with a RetryInfo. A ProbeAll asks every
/// prober replica for a slot, so the cap keeps callers of the runner from taking all of them, the runner's own rounds
/// included.
/// </summary>
public sealed partial class RunnerCallLimitInterceptor(IOptions<RunnerOptions> options, ILogger<RunnerCallLimitInterceptor> logger) : Interceptor, IDisposable
{
    /// <summary>The error domain in google.rpc.ErrorInfo details.</summary>
    public const string ErrorDomain = "runner.v1";

    private readonly CallerConcurrencyLimiter _limiter = new(options.Value.MaxConcurrentCalls, options.Value.MaxConcurrentCallsPerCaller);

    /// <summary>Calls running now.</summary>
    public int Running => _limiter.Running;

    /// <inheritdoc />
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        using var slots = _limiter.TryAcquire(CallerAddress.Of(context), out var refusal) ?? throw Refuse(refusal, context);
        return await continuation(request, context);
    }

    private RpcException Refuse(CallerConcurrencyLimiter.Refusal refusal, ServerCallContext context)
    {
        var error = refusal == CallerConcurrencyLimiter.Refusal.CallerLimit
            ? ResourceExhausted.Create(ErrorDomain, "CALLER_LIMIT",
                $"{CallerAddress.Of(context)} is already running {options.Value.MaxConcurrentCallsPerCaller} calls on this runner, the most one caller may "
                + "(Runner:MaxConcurrentCallsPerCaller); wait for one to finish, then retry.", TimeSpan.FromSeconds(1))
            : ResourceExhausted.Create(ErrorDomain, "RUNNER_BUSY",
                $"This runner is already serving its limit of {options.Value.MaxConcurrentCalls} calls (Runner:MaxConcurrentCalls); retry shortly.",
                TimeSpan.FromSeconds(1));
        LogRefused(context.Method, error.Status.Detail);
        return error;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {Method} refused: {Reason}")]
    private partial void LogRefused(string method, string reason);

    /// <inheritdoc />
    public void Dispose() => _limiter.Dispose();
}
