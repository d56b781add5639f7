using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace AspireProber.AppHostBench;

/// <summary>
/// One start of the built AppHost, timed: to the dashboard's login line, to each service replica's first healthy
/// <c>/health</c> (the check the AppHost's WithHttpHealthCheck makes), then the system at rest, then Ctrl+C (SIGTERM)
/// and the time until no process of it is left.
/// </summary>
internal sealed class AppHostRun
{
    /// <summary>What one run measured.</summary>
    public sealed record Result(TimeSpan Login, TimeSpan AllHealthy, IReadOnlyDictionary<string, TimeSpan> LastHealthyPerService,
        IReadOnlyList<SystemProcess> AtRest, TimeSpan Stopped, IReadOnlyList<string> Survivors);

    private static readonly TimeSpan s_startLimit = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan s_stopLimit = TimeSpan.FromSeconds(60);

    private readonly string _repositoryRoot;
    private readonly IReadOnlyDictionary<string, int> _replicas;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(1) };

    /// <param name="repositoryRoot">The repository; service executables are recognised under it.</param>
    /// <param name="replicas">How many replicas of each service (by project folder) the model has.</param>
    public AppHostRun(string repositoryRoot, IReadOnlyDictionary<string, int> replicas) => (_repositoryRoot, _replicas) = (repositoryRoot, replicas);

    /// <summary>
    /// The environment <c>dotnet run --project AppHost</c> gets from the launch profile (plain-HTTP dashboard,
    /// Development), on free loopback ports instead of 15888/19889/20889, both API keys given so nothing is written to
    /// user secrets, and DCP's ports randomized.
    /// </summary>
    public static void Configure(ProcessStartInfo start, string temp)
    {
        start.Environment["TMPDIR"] = temp;
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort()}";
        start.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{FreePort()}";
        start.Environment["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://127.0.0.1:{FreePort()}";
        start.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        foreach (var argument in new[] { "--DcpPublisher:RandomizePorts=true", $"--AppHost:DashboardApiKey={Key()}", $"--AppHost:OtlpApiKey={Key()}" })
        {
            start.ArgumentList.Add(argument);
        }
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
    }

    /// <summary>Starts <paramref name="start"/> (see <see cref="Configure"/>), measures, and stops it with everything it started.</summary>
    public async Task<Result> MeasureAsync(ProcessStartInfo start, TimeSpan rest, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var appHost = Process.Start(start)!;
        var login = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        appHost.OutputDataReceived += (_, line) =>
        {
            if (line.Data?.Contains("Login to the dashboard at", StringComparison.Ordinal) == true)
            {
                login.TrySetResult(clock.Elapsed);
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
            return new Result(login.Task.IsCompleted ? login.Task.Result : TimeSpan.Zero, allHealthy, healthy, atRest, stopping.Elapsed, survivors);
        }
        finally
        {
            // Whatever is still there (a failed run, Ctrl+C of the bench): killed.
            foreach (var pid in seen.Append(appHost.Id).Where(IsAlive))
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
        while (pids.Any(IsAlive) && deadline.Elapsed < limit)
        {
            await Task.Delay(100, cancellationToken);
        }
        return [.. pids.Where(IsAlive).Select(pid => $"{pid} {CommandLine(pid)}")];
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return "(gone)";
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private const int Sigkill = 9;
    private const int Sigterm = 15;

    // .NET's Process.Kill only sends SIGKILL; Ctrl+C is SIGINT/SIGTERM, which the AppHost handles as a graceful stop.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Signal(int pid, int signal);

    private static string Key() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
