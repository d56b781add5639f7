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

        using var timer = new PeriodicTimer(settings.Interval);
        do
        {
            // Targets in parallel too, so a round takes one deadline however many targets there are.
            await Task.WhenAll(targets.Select(target => ProbeTargetAsync(target, settings, stoppingToken)));
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task ProbeTargetAsync(Uri target, RunnerOptions settings, CancellationToken stoppingToken)
    {
        var request = new ProbeRequest { Endpoint = target.ToString(), Repetitions = settings.Repetitions };
        var outcomes = await fanOut.ProbeAsync(request, settings.ProbeDeadline, stoppingToken);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Probing disabled: {TargetCount} targets, {ReplicaCount} prober replicas configured")]
    private partial void LogProbingDisabled(int targetCount, int replicaCount);
}
