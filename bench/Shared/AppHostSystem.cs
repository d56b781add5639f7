using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;

namespace AspireProber.Bench;

/// <summary>
/// One start of the built AppHost and the system it runs: the times of its first console lines, each service
/// replica's first healthy <c>/health</c> (the check the AppHost's WithHttpHealthCheck makes), its processes as /proc
/// shows them, and the stop as Ctrl+C does it (SIGTERM) until no process of it is left. Disposing it stops whatever
/// is still running, also after a failure or Ctrl+C of the bench: SIGTERM first, then SIGKILL for what outlives that.
/// </summary>
internal sealed class AppHostSystem : IAsyncDisposable
{
    /// <summary>The model's services by project folder, with their replicas (AppHost/Program.cs).</summary>
    public static readonly IReadOnlyDictionary<string, int> Replicas =
        new Dictionary<string, int> { ["ProbeTarget"] = 1, ["ProberService"] = 3, ["StockStreamService"] = 1, ["ProbeRunner"] = 1 };

    private static readonly TimeSpan s_gracefulStopOnDispose = TimeSpan.FromSeconds(30);

    private readonly Process _appHost;
    private readonly string _repositoryRoot;
    private readonly Stopwatch _clock;
    private readonly TaskCompletionSource<TimeSpan> _login = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<TimeSpan> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(1) };
    // Every process of the system ever seen: what a stop waits for, and what disposing kills if it is still there.
    private readonly HashSet<int> _seen = [];
    private bool _stopped;

    private AppHostSystem(Process appHost, string repositoryRoot, Stopwatch clock)
    {
        _appHost = appHost;
        _repositoryRoot = repositoryRoot;
        _clock = clock;
        _seen.Add(appHost.Id);
    }

    /// <summary>Time since the AppHost was started.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>When the dashboard's "Login to the dashboard at" line came; zero if it did not.</summary>
    public TimeSpan Login => _login.Task.IsCompleted ? _login.Task.Result : TimeSpan.Zero;

    /// <summary>When "Distributed application started" came (Aspire's start awaited every resource's creation); zero if it did not.</summary>
    public TimeSpan Started => _started.Task.IsCompleted ? _started.Task.Result : TimeSpan.Zero;

    /// <summary>The AppHost executable a build in <paramref name="configuration"/> left in <paramref name="repositoryRoot"/>.</summary>
    public static string BuiltExecutable(string repositoryRoot, string configuration) =>
        Path.Combine(repositoryRoot, "AppHost", "bin", configuration, "net10.0", "AspireProber.AppHost");

    /// <summary>Starts <paramref name="start"/> (see AppHostLaunch, which redirects its output); service executables are recognised under <paramref name="repositoryRoot"/>.</summary>
    public static AppHostSystem Start(ProcessStartInfo start, string repositoryRoot)
    {
        var clock = Stopwatch.StartNew();
        var system = new AppHostSystem(Process.Start(start)!, repositoryRoot, clock);
        system._appHost.OutputDataReceived += (_, line) =>
        {
            if (line.Data?.Contains("Login to the dashboard at", StringComparison.Ordinal) == true)
            {
                system._login.TrySetResult(clock.Elapsed);
            }
            if (line.Data?.Contains("Distributed application started", StringComparison.Ordinal) == true)
            {
                system._started.TrySetResult(clock.Elapsed);
            }
        };
        // Read, not kept: a full pipe would block the AppHost.
        system._appHost.ErrorDataReceived += (_, _) => { };
        system._appHost.BeginOutputReadLine();
        system._appHost.BeginErrorReadLine();
        return system;
    }

    /// <summary>The processes of the system now (the AppHost, DCP and everything under them), each remembered for the stop.</summary>
    public IReadOnlyList<SystemProcess> Processes()
    {
        var processes = SystemProcess.Of(_appHost.Id, _repositoryRoot);
        _seen.UnionWith(processes.Select(p => p.Pid));
        return processes;
    }

    /// <summary>
    /// Waits for each of <see cref="Replicas"/>' replicas to answer 200 on /health (polling every 100 ms); returns,
    /// per service, when its last replica got there. Fails if the AppHost exits or <paramref name="limit"/> passes first.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, TimeSpan>> WaitForEveryReplicaHealthyAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var healthyAt = new Dictionary<int, (string Service, TimeSpan At)>();
        while (true)
        {
            if (_appHost.HasExited)
            {
                throw new InvalidOperationException($"The AppHost exited with {_appHost.ExitCode} before every replica was healthy.");
            }
            if (_clock.Elapsed > limit)
            {
                throw new TimeoutException($"Not every replica was healthy within {limit.TotalSeconds:0} s: {healthyAt.Count} were.");
            }
            var pending = Processes().Where(p => p.HttpAddress is not null && Replicas.ContainsKey(p.Kind) && !healthyAt.ContainsKey(p.Pid)).ToList();
            var answers = await Task.WhenAll(pending.Select(p => IsHealthyAsync(p.HttpAddress!, cancellationToken)));
            foreach (var (process, healthy) in pending.Zip(answers))
            {
                if (healthy)
                {
                    healthyAt[process.Pid] = (process.Kind, _clock.Elapsed);
                }
            }
            if (Replicas.All(r => healthyAt.Values.Count(h => h.Service == r.Key) == r.Value))
            {
                return healthyAt.Values.GroupBy(h => h.Service).ToDictionary(g => g.Key, g => g.Max(h => h.At));
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>
    /// Ctrl+C: SIGTERM to the AppHost, which stops its resources; DCP ends their processes, then itself. Returns how
    /// long it took until no process of the system was left, and those still there after <paramref name="limit"/>.
    /// </summary>
    public async Task<(TimeSpan Stopped, IReadOnlyList<string> Survivors)> StopAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        Processes();
        var stopping = Stopwatch.StartNew();
        _stopped = true;
        _ = Signal(_appHost.Id, Sigterm);
        while (_seen.Any(SystemProcess.IsAlive) && stopping.Elapsed < limit)
        {
            await Task.Delay(100, cancellationToken);
        }
        return (stopping.Elapsed, [.. _seen.Where(SystemProcess.IsAlive).Select(pid => $"{pid} {SystemProcess.CommandLine(pid)}")]);
    }

    /// <summary>Stops whatever of the system is still running: gracefully if <see cref="StopAsync"/> did not run, then by SIGKILL.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_stopped && SystemProcess.IsAlive(_appHost.Id))
            {
                // The stop was not reached (a failure, Ctrl+C of the bench): the same graceful stop, not waited for long.
                await StopAsync(s_gracefulStopOnDispose, CancellationToken.None);
            }
        }
        finally
        {
            foreach (var pid in _seen.Where(SystemProcess.IsAlive))
            {
                _ = Signal(pid, Sigkill);
            }
            _appHost.Dispose();
            _http.Dispose();
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

    private const int Sigkill = 9;
    private const int Sigterm = 15;

    // .NET's Process.Kill only sends SIGKILL; Ctrl+C is SIGINT/SIGTERM, which the AppHost handles as a graceful stop.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Signal(int pid, int signal);
}
