using AspireProber.Prober.V1;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AspireProber.ProberService;

/// <summary>
/// gRPC prober.v1.Prober: checks the request and the target, runs the attempts and reports them (one reply with
/// statistics, or a stream of attempts). The caller's API key and the concurrency limit are checked before, by
/// <see cref="ApiKeyInterceptor"/> and <see cref="ProbeConcurrencyInterceptor"/>.
/// </summary>
public sealed class ProberServiceImpl(
    ProbeRequestValidator validator,
    TargetGuard guard,
    ProbeExecutor executor,
    ProberMetrics metrics,
    ReplicaIdentity replica,
    IOptions<ProberOptions> options,
    ILogger<ProberServiceImpl> logger) : Prober.V1.Prober.ProberBase
{
    private readonly TimeSpan _maxProbeDuration = options.Value.MaxProbeDuration;

    /// <inheritdoc />
    public override Task<ProbeReply> Probe(ProbeRequest request, ServerCallContext context) => RunAsync(request, context, progress: null);

    /// <inheritdoc />
    public override Task ProbeStream(ProbeRequest request, IServerStreamWriter<ProbeAttempt> responseStream, ServerCallContext context) =>
        RunAsync(request, context, responseStream);

    /// <summary>One probe, for both call shapes: attempts are streamed to <paramref name="progress"/> when there is one.</summary>
    private async Task<ProbeReply> RunAsync(ProbeRequest request, ServerCallContext context, IServerStreamWriter<ProbeAttempt>? progress)
    {
        var plan = Admit(request);
        var label = metrics.EndpointLabel(plan);
        var statistics = new ProbeStatistics();
        var startedAt = DateTime.UtcNow;
        // The server's bound holds whatever the caller asked: a call with no deadline, or a later one, ends by it too.
        // The executor ends its attempts by the deadline itself; the token ends a ProbeStream write that waits on a
        // consumer who stopped reading, which no attempt's deadline covers.
        var bound = startedAt + _maxProbeDuration;
        var deadline = context.Deadline < bound ? context.Deadline : bound;
        using var probeTime = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        probeTime.CancelAfter(deadline - startedAt);
        try
        {
            await foreach (var attempt in executor.RunAsync(plan, label, deadline, context.CancellationToken))
            {
                statistics.Add(attempt);
                if (progress is not null)
                {
                    await progress.WriteAsync(attempt, probeTime.Token);
                }
            }
        }
        catch (OperationCanceledException) when (probeTime.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw ProberErrors.DeadlineExceeded(statistics.Attempts + 1, _maxProbeDuration);
        }
        catch (OperationCanceledException) when (context.Deadline <= DateTime.UtcNow)
        {
            // The call's own deadline cancelled it: said as DEADLINE_EXCEEDED by us, not left to which of grpc-dotnet's
            // deadline timer and our cancellation is seen first (under load the caller sometimes got CANCELLED).
            throw ProberErrors.DeadlineExceeded(statistics.Attempts + 1, _maxProbeDuration);
        }
        return Complete(plan, label, statistics, startedAt);
    }

    /// <summary>The checks before any work: what they ask, and whether the target may be probed.</summary>
    private ProbePlan Admit(ProbeRequest request)
    {
        try
        {
            var plan = validator.Validate(request);
            if (guard.CheckHost(plan.Endpoint.DnsSafeHost) is { } reason)
            {
                throw ProberErrors.TargetBlocked(reason);
            }
            return plan;
        }
        catch (RpcException ex)
        {
            ProberLog.ProbeRefused(logger, request, ex);
            throw;
        }
    }

    private ProbeReply Complete(ProbePlan plan, string label, ProbeStatistics statistics, DateTime startedAt)
    {
        var reply = statistics.ToReply(plan.Endpoint.OriginalString, replica.Id, startedAt);
        if (statistics.AverageLatencyMs is { } average)
        {
            metrics.RecordProbe(label, average);
        }
        ProberLog.ProbeCompleted(logger, plan.SafeEndpoint, reply.Repetitions, plan.Mode.ToString(), reply.SuccessCount, reply.FailureCount,
            reply.AverageLatencyMs, reply.P99LatencyMs);
        return reply;
    }
}
