using System.Diagnostics;
using AspireProber.Prober.V1;
using Microsoft.Extensions.Options;

namespace AspireProber.ProbeRunner;

/// <summary>Every interval, probes each target through every prober replica and logs one summary per target.</summary>
public sealed partial class ProbeWorker(ProbeFanOut fanOut, IOptions<RunnerOptions> options, IConfiguration configuration, ILogger<ProbeWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var targets = ProbeTargets.Resolve(settings.Targets, configuration, out var unresolved);
        foreach (var target in unresolved)
        {
            LogTargetUnresolved(target, ProbeTargets.ProbeTargetServiceName);
        }
        var replicas = fanOut.IsConfigured ? (await fanOut.GetReplicasAsync(stoppingToken)).Count : 0;
        if (targets.Count == 0 || replicas == 0)
        {
            LogProbingDisabled(targets.Count, replicas);
            return;
        }

        // Started with the replicas (the AppHost's WaitForStart), the first round would pay their start-up inside its
        // deadline and report failures that are none: it waits until each answers its health check, and even then its
        // calls are the first of their kind on both sides (connections, JIT) on a machine still starting everything
        // else, so they get the start-up grace as their deadline. Later rounds keep ProbeDeadline.
        var started = Stopwatch.GetTimestamp();
        var notServing = await fanOut.WaitUntilServingAsync(settings.StartupGrace, stoppingToken);
        if (notServing.Count > 0)
        {
            LogReplicasNotServing(notServing.Count, replicas, settings.StartupGrace.TotalSeconds, string.Join(", ", notServing));
        }
        else
        {
            LogReplicasServing(replicas, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }

        using var timer = new PeriodicTimer(settings.Interval);
        var deadline = settings.StartupGrace > settings.ProbeDeadline ? settings.StartupGrace : settings.ProbeDeadline;
        do
        {
            // Targets in parallel too, so a round takes one deadline however many targets there are.
            await Task.WhenAll(targets.Select(target => ProbeTargetAsync(target, deadline, settings, stoppingToken)));
            deadline = settings.ProbeDeadline;
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task ProbeTargetAsync(Uri target, TimeSpan deadline, RunnerOptions settings, CancellationToken stoppingToken)
    {
        var request = new ProbeRequest { Endpoint = target.ToString(), Repetitions = settings.Repetitions };
        var outcomes = await fanOut.ProbeAsync(request, deadline, stoppingToken);
        if (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        var ok = outcomes.Count(o => o.IsSuccess);
        // A failed replica makes the round a warning, so it stands out among the rounds that went well.
        var level = ok == outcomes.Count ? LogLevel.Information : LogLevel.Warning;
        LogRound(level, target.ToString(), ok, outcomes.Count - ok, string.Join(", ", outcomes.Select(Describe)));
    }

    // e.g. "http://127.0.0.1:5101=52.3ms (3/3 ok)" or "http://127.0.0.1:5102=UNAVAILABLE"
    private static string Describe(ReplicaOutcome outcome) => outcome.Reply is { } reply
        ? FormattableString.Invariant($"{outcome.Replica}={reply.AverageLatencyMs:0.0}ms ({reply.SuccessCount}/{reply.Repetitions} ok)")
        : $"{outcome.Replica}={StatusCodeNames.Of(outcome.Status.StatusCode)}";

    [LoggerMessage(Message = "Probed {Target}: {ReplicasOk} replicas ok, {ReplicasFailed} failed; average latency per replica: {ReplicaLatencies}")]
    private partial void LogRound(LogLevel level, string target, int replicasOk, int replicasFailed, string replicaLatencies);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Target {Target} is not an absolute URL and no {Service} address is configured to resolve it; skipped")]
    private partial void LogTargetUnresolved(string target, string service);

    [LoggerMessage(Level = LogLevel.Information, Message = "All {ReplicaCount} prober replicas serving after {Seconds:0.00} s; probing starts")]
    private partial void LogReplicasServing(int replicaCount, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{NotServing} of {ReplicaCount} prober replicas not serving after {GraceSeconds} s ({Replicas}); probing starts anyway")]
    private partial void LogReplicasNotServing(int notServing, int replicaCount, double graceSeconds, string replicas);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Probing disabled: {TargetCount} targets, {ReplicaCount} prober replicas configured")]
    private partial void LogProbingDisabled(int targetCount, int replicaCount);
}
