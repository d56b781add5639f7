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

    /// <summary>How long Probe waits before answering (honouring the call's cancellation).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>The instance name the replica reports.</summary>
    public string Instance => instance;

    /// <summary>Every request received, Probe and ProbeStream.</summary>
    public IReadOnlyList<ProbeRequest> Requests { get { lock (_requests) { return _requests.ToArray(); } } }

    public override async Task<ProbeReply> Probe(ProbeRequest request, ServerCallContext context)
    {
        Record(request);
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
        Record(request);
        for (var i = 1; i <= request.Repetitions; i++)
        {
            await responseStream.WriteAsync(new ProbeAttempt { Attempt = i, Success = true, StatusCode = 200, LatencyMs = 10 * i, Replica = instance });
        }
    }

    private void Record(ProbeRequest request)
    {
        lock (_requests)
        {
            _requests.Add(request);
        }
    }
}
