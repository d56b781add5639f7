using System.Diagnostics;
using AspireProber.Prober.V1;
using AspireProber.ServiceDefaults;
using Grpc.Core;

namespace AspireProber.ProbeRunner;

/// <summary>Calls Probe on every prober replica in parallel, each with its own deadline, and records each call.</summary>
public sealed class ProbeFanOut(ReplicaChannels channels, RunnerMetrics metrics)
{
    /// <summary>The resource name of the prober replicas (<c>services__prober__grpc__{i}</c>).</summary>
    public const string ProberServiceName = "prober";

    /// <summary>True when prober replicas are configured; a runner started alone has none and says so instead of failing.</summary>
    public bool IsConfigured => channels.IsConfigured(ProberServiceName);

    /// <summary>The replica addresses, as service discovery gives them.</summary>
    public Task<IReadOnlyList<Uri>> GetReplicasAsync(CancellationToken cancellationToken) =>
        channels.GetReplicaAddressesAsync(ProberServiceName, cancellationToken);

    /// <summary>
    /// Probes through every replica at once and returns each one's outcome in discovery order. A replica that is down
    /// or slower than <paramref name="deadline"/> gives its status; it never fails the others.
    /// </summary>
    public async Task<IReadOnlyList<ReplicaOutcome>> ProbeAsync(ProbeRequest request, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var replicas = await GetReplicasAsync(cancellationToken);
        var callDeadline = DateTime.UtcNow + deadline;
        var outcomes = await Task.WhenAll(replicas.Select(address => ProbeReplicaAsync(address, request, callDeadline, cancellationToken)));
        foreach (var outcome in outcomes)
        {
            metrics.ProbeCallCompleted(outcome.Replica, outcome.Status.StatusCode, outcome.Duration);
        }
        return outcomes;
    }

    // Each call is timed and its RpcException handed back as a value: a failed call's duration (how fast UNAVAILABLE,
    // how late DEADLINE_EXCEEDED) is as telling as a reply's.
    private async Task<ReplicaOutcome> ProbeReplicaAsync(Uri address, ProbeRequest request, DateTime deadline, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            var client = new Prober.V1.Prober.ProberClient(channels.Get(address));
            var reply = await client.ProbeAsync(request, deadline: deadline, cancellationToken: cancellationToken);
            return new ReplicaOutcome(address, reply, Status.DefaultSuccess, Stopwatch.GetElapsedTime(start));
        }
        catch (RpcException ex)
        {
            return new ReplicaOutcome(address, null, ex.Status, Stopwatch.GetElapsedTime(start));
        }
    }
}
