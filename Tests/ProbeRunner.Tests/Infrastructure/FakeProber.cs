using AspireProber.Prober.V1;
using Grpc.Core;

namespace AspireProber.ProbeRunner.Tests.Infrastructure;

/// <summary>
/// A prober replica without HTTP: answers Probe with a fixed average latency after an optional delay, and streams
/// attempts of 10, 20, 30... ms. Records what it was asked.
/// </summary>
public sealed class FakeProber(string instance, double averageLatencyMs = 42) : Prober.V1.Prober.ProberBase
{
    private readonly List<ProbeRequest> _requests = [];
    private readonly List<string?> _authorizations = [];

    /// <summary>How long Probe waits before answering (honouring the call's cancellation).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>When set, Probe answers with this status (after recording the request), as a busy prober does.</summary>
    public StatusCode? Refuse { get; set; }

    /// <summary>The instance name the replica reports.</summary>
    public string Instance => instance;

    /// <summary>Every request received, Probe and ProbeStream.</summary>
    public IReadOnlyList<ProbeRequest> Requests { get { lock (_requests) { return _requests.ToArray(); } } }

    /// <summary>The <c>authorization</c> header of each request, in the order of <see cref="Requests"/> (null: none sent).</summary>
    public IReadOnlyList<string?> Authorizations { get { lock (_requests) { return _authorizations.ToArray(); } } }

    public override async Task<ProbeReply> Probe(ProbeRequest request, ServerCallContext context)
    {
        Record(request, context);
        if (Refuse is { } status)
        {
            throw new RpcException(new Status(status, $"{instance} refuses this call (test)"));
        }
        await Task.Delay(Delay, context.CancellationToken);
        return new ProbeReply
        {
            Endpoint = request.Endpoint,
            Repetitions = request.Repetitions,
            SuccessCount = request.Repetitions,
            AverageLatencyMs = averageLatencyMs,
            Replica = instance,
        };
    }

    public override async Task ProbeStream(ProbeRequest request, IServerStreamWriter<ProbeAttempt> responseStream, ServerCallContext context)
    {
        Record(request, context);
        for (var i = 1; i <= request.Repetitions; i++)
        {
            await responseStream.WriteAsync(new ProbeAttempt { Attempt = i, Success = true, StatusCode = 200, LatencyMs = 10 * i, Replica = instance });
        }
    }

    private void Record(ProbeRequest request, ServerCallContext context)
    {
        lock (_requests)
        {
            _requests.Add(request);
            _authorizations.Add(context.RequestHeaders.GetValue("authorization"));
        }
    }
}
