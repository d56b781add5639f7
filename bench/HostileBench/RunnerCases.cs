using AspireProber.Prober.V1;
using AspireProber.Runner.V1;
using Google.Protobuf.WellKnownTypes;

namespace AspireProber.HostileBench;

/// <summary>ProbeAll on the runner with a deadline that is no valid Duration (a positive second, negative nanos).</summary>
internal sealed class RunnerCases(Runner.V1.Runner.RunnerClient runner, Uri probeTarget)
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(10);

    /// <summary>The cases, in the order they run.</summary>
    public IReadOnlyList<HostileCase> Cases() =>
    [
        new("runner", "ProbeAll, deadline {seconds: 1, nanos: -5} ×5", 5, (outcomes, cancellationToken) =>
            outcomes.RunAsync(1, _ => Outcomes.StatusOf(() => runner.ProbeAllAsync(new ProbeAllRequest
            {
                Probe = new ProbeRequest { Endpoint = new Uri(probeTarget, "/fast").ToString(), Repetitions = 1 },
                Deadline = new Duration { Seconds = 1, Nanos = -5 },
            }, deadline: DateTime.UtcNow + s_deadline, cancellationToken: cancellationToken).ResponseAsync), cancellationToken)),
    ];
}
