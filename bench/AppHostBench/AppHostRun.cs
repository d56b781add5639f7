using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
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
    private readonly IReadOnlyDictionary<string, int> _replicas;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(1) };

    /// <param name="repositoryRoot">The repository; service executables are recognised under it.</param>
    /// <param name="replicas">How many replicas of each service (by project folder) the model has.</param>
    public AppHostRun(string repositoryRoot, IReadOnlyDictionary<string, int> replicas) => (_repositoryRoot, _replicas) = (repositoryRoot, replicas);

    /// <summary>Starts <paramref name="start"/> (see <see cref="AppHostLaunch"/>), measures, and stops it with everything it started.</summary>
    public async Task<Result> MeasureAsync(ProcessStartInfo start, TimeSpan rest, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var appHost = Process.Start(start)!;
        var login = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        appHost.OutputDataReceived += (_, line) =>
        {
            if (line.Data?.Contains("Login to the dashboard at", StringComparison.Ordinal) == true)
            {
                login.TrySetResult(clock.Elapsed);
            }
            if (line.Data?.Contains("Distributed application started", StringComparison.Ordinal) == true)
            {
                started.TrySetResult(clock.Elapsed);
            }
        };
        appHost.ErrorDataReceived += (_, _) => { };
        appHost.BeginOutputReadLine();
        appHost.BeginErrorReadLine();
        var seen = new HashSet<int>();
        try
        {
            var healthy = await WaitForEveryReplicaHealthyAsync(appHost, clock, seen, cancellationToken);
            var allHealthy = clock.Elapsed;
            await Task.Delay(rest, cancellationToken);
            var atRest = SystemProcess.Of(appHost.Id, _repositoryRoot);
            seen.UnionWith(atRest.Select(p => p.Pid));

            // Ctrl+C: the AppHost stops its resources, DCP ends their processes, then itself.
            var stopping = Stopwatch.StartNew();
            _ = Signal(appHost.Id, Sigterm);
            var survivors = await SurvivorsAsync(seen, s_stopLimit, cancellationToken);
            return new Result(login.Task.IsCompleted ? login.Task.Result : TimeSpan.Zero, started.Task.IsCompleted ? started.Task.Result : TimeSpan.Zero,
                allHealthy, healthy, atRest, stopping.Elapsed, survivors);
        }
        finally
        {
            // Whatever is still there (a failed run, Ctrl+C of the bench): killed.
            foreach (var pid in seen.Append(appHost.Id).Where(SystemProcess.IsAlive))
            {
                _ = Signal(pid, Sigkill);
            }
        }
    }

    // Each service's replicas' first 200 from /health; returns, per service, when its last replica got there.
    private async Task<IReadOnlyDictionary<string, TimeSpan>> WaitForEveryReplicaHealthyAsync(Process appHost, Stopwatch clock, HashSet<int> seen,
        CancellationToken cancellationToken)
    {
        var healthyAt = new Dictionary<int, (string Service, TimeSpan At)>();
        while (true)
        {
            if (appHost.HasExited)
            {
                throw new InvalidOperationException($"The AppHost exited with {appHost.ExitCode} before every replica was healthy.");
            }
            if (clock.Elapsed > s_startLimit)
            {
                throw new TimeoutException($"Not every replica was healthy within {s_startLimit.TotalSeconds:0} s: {healthyAt.Count} were.");
            }
            var system = SystemProcess.Of(appHost.Id, _repositoryRoot);
            seen.UnionWith(system.Select(p => p.Pid));
            var pending = system.Where(p => p.HttpAddress is not null && _replicas.ContainsKey(p.Kind) && !healthyAt.ContainsKey(p.Pid)).ToList();
            var answers = await Task.WhenAll(pending.Select(p => IsHealthyAsync(p.HttpAddress!, cancellationToken)));
            foreach (var (process, healthy) in pending.Zip(answers))
            {
                if (healthy)
                {
                    healthyAt[process.Pid] = (process.Kind, clock.Elapsed);
                }
            }
            if (_replicas.All(r => healthyAt.Values.Count(h => h.Service == r.Key) == r.Value))
            {
                return healthyAt.Values.GroupBy(h => h.Service).ToDictionary(g => g.Key, g => g.Max(h => h.At));
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    private async Task<bool> IsHealthyAsync(Uri address, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(address, "/health"), cancellationToken);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;   // not listening yet
        }
    }

    private static async Task<IReadOnlyList<string>> SurvivorsAsync(HashSet<int> pids, TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (pids.Any(SystemProcess.IsAlive) && deadline.Elapsed < limit)
        {
            await Task.Delay(100, cancellationToken);
        }
        return [.. pids.Where(SystemProcess.IsAlive).Select(pid => $"{pid} {SystemProcess.CommandLine(pid)}")];
    }

    private const int Sigkill = 9;
    private const int Sigterm = 15;

    // .NET's Process.Kill only sends SIGKILL; Ctrl+C is SIGINT/SIGTERM, which the AppHost handles as a graceful stop.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Signal(int pid, int signal);
}
