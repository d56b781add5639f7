using AspireProber.Runner.V1;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Status = Google.Rpc.Status;

namespace AspireProber.ProbeRunner;

/// <summary>gRPC <c>runner.v1.Runner</c>: the probe fan-out on demand.</summary>
public sealed class RunnerServiceImpl(ProbeFanOut fanOut, IOptions<RunnerOptions> options) : Runner.V1.Runner.RunnerBase
{
    /// <summary>The longest per-replica deadline a caller may ask for.</summary>
    public static readonly TimeSpan MaxDeadline = TimeSpan.FromMinutes(5);

    public override async Task<ProbeAllReply> ProbeAll(ProbeAllRequest request, ServerCallContext context)
    {
        var deadline = Validate(request);
        if (fanOut.Replicas.Count == 0)
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.FailedPrecondition,
                $"No prober replica is configured: set services__{ProbeFanOut.ProberServiceName}__grpc__0."));
        }

        // The caller's cancellation (and deadline) cancels every replica's call: none outlives ProbeAll.
        var outcomes = await fanOut.ProbeAsync(request.Probe, deadline, context.CancellationToken);
        var reply = new ProbeAllReply();
        foreach (var outcome in outcomes)
        {
            reply.Results.Add(new ReplicaResult
            {
                Address = outcome.Replica,
                Reply = outcome.Reply,
                StatusCode = (int)outcome.Status.StatusCode,
                StatusMessage = outcome.Status.Detail,
                CallLatencyMs = outcome.Duration.TotalMilliseconds,
            });
        }
        return reply;
    }

    // The prober replicas validate the probe too, but each would answer INVALID_ARGUMENT on its own; checked here, the
    // caller gets one error for the call, naming the field.
    private TimeSpan Validate(ProbeAllRequest request)
    {
        var violations = new List<BadRequest.Types.FieldViolation>();
        void Violation(string field, string description) => violations.Add(new() { Field = field, Description = description });

        if (request.Probe is null)
        {
            Violation("probe", "required: the probe each replica runs");
        }
        else
        {
            if (!Uri.TryCreate(request.Probe.Endpoint, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
            {
                Violation("probe.endpoint", $"'{request.Probe.Endpoint}' is not an absolute http:// or https:// URL");
            }
            if (request.Probe.Repetitions < 1)
            {
                Violation("probe.repetitions", $"must be at least 1, got {request.Probe.Repetitions}");
            }
        }

        var deadline = options.Value.ProbeDeadline;
        if (request.Deadline is not null)
        {
            deadline = request.Deadline.ToTimeSpan();
            if (deadline <= TimeSpan.Zero || deadline > MaxDeadline)
            {
                Violation("deadline", $"must be positive and at most {MaxDeadline.TotalSeconds:0} s, got {deadline.TotalSeconds} s");
            }
        }

        if (violations.Count > 0)
        {
            var badRequest = new BadRequest();
            badRequest.FieldViolations.AddRange(violations);
            throw new Status
            {
                Code = (int)Code.InvalidArgument,
                Message = string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}")),
            }.AddDetail(badRequest).ToRpcException();
        }
        return deadline;
    }
}
