using System.Diagnostics;
using AspireProber.Tests.Shared;

namespace AspireProber.AppHostBench;

/// <summary>
/// One start of the built AppHost, timed: to the dashboard's login line, to "Distributed application started" (Aspire's
/// start awaited every resource's creation), to each service replica's first healthy
/// <c>/health</c> (the check the AppHost's WithHttpHealthCheck makes), then the system at rest, then Ctrl+C (SIGTERM)
/// and the time until no process of it is left.
/// </summary>
internal sealed class AppHostRun
{
    /// <summary>What one run measured.</summary>
    public sealed record Result(TimeSpan Login, TimeSpan Started, TimeSpan AllHealthy, IReadOnlyDictionary<string, TimeSpan> LastHealthyPerService,
        IReadOnlyList<SystemProcess> AtRest, TimeSpan Stopped, IReadOnlyList<string> Survivors);

    private static readonly TimeSpan s_startLimit = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan s_stopLimit = TimeSpan.FromSeconds(60);

    private readonly string _repositoryRoot;

    /// <param name="repositoryRoot">The repository; service executables are recognised under it.</param>
    public AppHostRun(string repositoryRoot) => _repositoryRoot = repositoryRoot;

    /// <summary>Starts <paramref name="start"/> (see <see cref="AppHostLaunch"/>), measures, and stops it with everything it started.</summary>
    public async Task<Result> MeasureAsync(ProcessStartInfo start, TimeSpan rest, CancellationToken cancellationToken)
    {
        await using var system = AppHostSystem.Start(start, _repositoryRoot);
        var healthy = await system.WaitForEveryReplicaHealthyAsync(s_startLimit, cancellationToken);
        var allHealthy = system.Elapsed;
        await Task.Delay(rest, cancellationToken);
        var atRest = system.Processes();
        var (stopped, survivors) = await system.StopAsync(s_stopLimit, cancellationToken);
        return new Result(system.Login, system.Started, allHealthy, healthy, atRest, stopped, survivors);
    }
}
