using AspireProber.Runner.V1;
using AspireProber.ServiceDefaults;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace AspireProber.ProbeRunner;

/// <summary>gRPC <c>runner.v1.Runner</c>: the probe fan-out on demand.</summary>
public sealed class RunnerServiceImpl(ProbeFanOut fanOut, Prober.V1.Prober.ProberClient prober, IOptions<RunnerOptions> options)
    : Runner.V1.Runner.RunnerBase
{
    /// <summary>The longest per-replica deadline a caller may ask for.</summary>
    public static readonly TimeSpan MaxDeadline = TimeSpan.FromMinutes(5);

    public override async Task<ProbeAllReply> ProbeAll(ProbeAllRequest request, ServerCallContext context)
    {
        var deadline = Validate(request);
        RequireProbers();

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

    /// <summary>
    /// One probe through the balanced prober client: each call goes to the next replica (round-robin), and a replica
    /// that refuses the connection is retried on another (the client's UNAVAILABLE retry policy).
    /// </summary>
    public override async Task<Prober.V1.ProbeReply> ProbeAny(Prober.V1.ProbeRequest request, ServerCallContext context)
    {
        RequireProbers();
        // The caller's deadline and cancellation carry over; a call without one gets the client's default deadline.
        return await prober.ProbeAsync(request, ProberApiKey.Headers(options.Value.ProberApiKey),
            context.Deadline == DateTime.MaxValue ? null : context.Deadline, context.CancellationToken);
    }

    private void RequireProbers()
    {
        if (!fanOut.IsConfigured)
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.FailedPrecondition,
                $"No prober replica is configured: set services__{ProbeFanOut.ProberServiceName}__grpc__0 (the AppHost does this for references)."));
        }
    }

    // The prober replicas validate the probe too, but each would answer INVALID_ARGUMENT on its own; checked here, the
    // caller gets one error for the call, naming the field.
    private TimeSpan Validate(ProbeAllRequest request)
    {
        var violations = new RequestViolations();

        if (request.Probe is null)
        {
            violations.Add("probe", "required: the probe each replica runs");
        }
        else
        {
            if (!Uri.TryCreate(request.Probe.Endpoint, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
            {
                violations.Add("probe.endpoint", $"'{TelemetryValues.Bound(request.Probe.Endpoint)}' is not an absolute http:// or https:// URL");
            }
            if (request.Probe.Repetitions < 1)
            {
                violations.Add("probe.repetitions", $"must be at least 1, got {request.Probe.Repetitions}");
            }
        }

        var deadline = options.Value.ProbeDeadline;
        if (request.Deadline is { } given)
        {
            // Checked before ToTimeSpan, which throws on a duration that is not normalized or beyond TimeSpan's range
            // (the caller would get UNKNOWN).
            if (given.Seconds < 0 || given.Nanos < 0 || given.Nanos >= 1_000_000_000 || given.Seconds > (long)MaxDeadline.TotalSeconds)
            {
                violations.Add("deadline", $"must be positive and at most {MaxDeadline.TotalSeconds:0} s, with 0 <= nanos < 1e9; got seconds = {given.Seconds}, nanos = {given.Nanos}");
            }
            else
            {
                deadline = given.ToTimeSpan();
                if (deadline <= TimeSpan.Zero || deadline > MaxDeadline)
                {
                    violations.Add("deadline", $"must be positive and at most {MaxDeadline.TotalSeconds:0} s, got {deadline.TotalSeconds} s");
                }
            }
        }

        violations.ThrowIfAny("The ProbeAll request is invalid.");
        return deadline;
    }
}
