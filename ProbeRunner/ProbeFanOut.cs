using System.Diagnostics;
using AspireProber.Prober.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace AspireProber.ProbeRunner;

/// <summary>Calls Probe on every prober replica in parallel, each with its own deadline, and records each call.</summary>
public sealed class ProbeFanOut
{
    /// <summary>The resource name of the prober replicas (<c>services__prober__grpc__{i}</c>).</summary>
    public const string ProberServiceName = "prober";

    private readonly Func<GrpcChannel?> _channel;
    private readonly RunnerMetrics? _metrics;

    /// <summary>A fan-out to the configured replicas, recording <c>runner.probe.*</c> metrics.</summary>
    public ProbeFanOut(GrpcChannels channels, IConfiguration configuration, RunnerMetrics metrics)
        // Resolved on use: the runner also starts without probers (running alone), and then reports that instead of failing.
        : this(() => configuration.GetServiceAddresses(ProberServiceName).Count == 0 ? null : channels.Get(ProberServiceName), metrics)
    {
    }

    /// <summary>A fan-out over a given channel (the CLI's <c>--prober</c> addresses).</summary>
    public ProbeFanOut(GrpcChannel channel, RunnerMetrics? metrics = null) : this(() => channel, metrics)
    {
    }

    private ProbeFanOut(Func<GrpcChannel?> channel, RunnerMetrics? metrics)
    {
        _channel = channel;
        _metrics = metrics;
    }

    /// <summary>The replica addresses; empty when none is configured.</summary>
    public IReadOnlyList<Uri> Replicas => _channel()?.Addresses ?? [];

    /// <summary>
    /// Probes through every replica at once and returns each one's outcome in address order. A replica that is down
    /// or slower than <paramref name="deadline"/> gives its status; it never fails the others.
    /// </summary>
    public async Task<IReadOnlyList<ReplicaOutcome>> ProbeAsync(ProbeRequest request, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var channel = _channel() ?? throw new InvalidOperationException(
            $"No prober replica is configured: set services__{ProberServiceName}__grpc__0 (the AppHost does this).");
        var callDeadline = DateTime.UtcNow + deadline;
        var started = Stopwatch.GetTimestamp();
        var results = await channel.FanOutAsync((invoker, ct) => TimedProbeAsync(invoker, request, callDeadline, ct), cancellationToken);

        var outcomes = new ReplicaOutcome[results.Count];
        for (var i = 0; i < outcomes.Length; i++)
        {
            var result = results[i];
            // A call that threw something other than RpcException reaches us as the fan-out's error, untimed.
            outcomes[i] = result.Response is { } timed
                ? new ReplicaOutcome(result.Address, timed.Reply, timed.Status, timed.Duration)
                : new ReplicaOutcome(result.Address, null, result.Status, Stopwatch.GetElapsedTime(started));
            _metrics?.ProbeCallCompleted(outcomes[i].Replica, outcomes[i].Status.StatusCode, outcomes[i].Duration);
        }
        return outcomes;
    }

    // FanOutResult carries no timing, so each call times itself and hands its RpcException back as a value:
    // a failed call's duration (how fast UNAVAILABLE, how late DEADLINE_EXCEEDED) is as telling as a reply's.
    private static async Task<TimedCall> TimedProbeAsync(CallInvoker invoker, ProbeRequest request, DateTime deadline, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            var reply = await new Prober.V1.Prober.ProberClient(invoker).ProbeAsync(request, deadline: deadline, cancellationToken: cancellationToken).ResponseAsync;
            return new TimedCall(reply, Status.DefaultSuccess, Stopwatch.GetElapsedTime(start));
        }
        catch (RpcException ex)
        {
            return new TimedCall(null, ex.Status, Stopwatch.GetElapsedTime(start));
        }
    }

    private sealed record TimedCall(ProbeReply? Reply, Status Status, TimeSpan Duration);
}
