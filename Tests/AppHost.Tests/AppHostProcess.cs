using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace AspireProber.AppHost.Tests;

/// <summary>
/// The built AppHost run as a separate process (<c>dotnet AspireProber.AppHost.dll</c>), read through its console table
/// of replicas, states and URLs. Disposing always stops it (SIGTERM, then SIGKILL, after which its reaper kills the
/// children) and kills any child process group still alive, so a failing test leaves nothing running.
/// </summary>
internal sealed partial class AppHostProcess : IAsyncDisposable
{
    private const int SIGKILL = 9;
    private const int SIGTERM = 15;

    private static readonly string s_configuration = typeof(AppHostProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;

    /// <summary>The replicas every test of the whole system waits for: the dashboard and the services (Prometheus and Grafana have tests of their own).</summary>
    public static readonly string[] Replicas = ["aspire-dashboard-0", "probetarget-0", "prober-0", "prober-1", "prober-2", "stock-0", "runner-0"];

    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Row> _rows = [];
    private readonly Queue<string> _lastLines = new();
    private readonly Task _reading;
    private int[] _children = [];
    private Uri? _dashboardLoginUrl;

    /// <summary>One replica's row of the console table: e.g. <c>prober-0  Running (Healthy)  http://127.0.0.1:{grpc port} http://127.0.0.1:{http port}</c>.</summary>
    public sealed record Row(string State, string Detail)
    {
        public string[] Urls => [.. Detail.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(u => u.StartsWith("http://", StringComparison.Ordinal))];
    }

    private AppHostProcess(Process process)
    {
        _process = process;
        _reading = Task.Run(ReadOutputAsync);
    }

    public int Id => _process.Id;

    /// <summary>The AppHost built with this test (same configuration).</summary>
    public static string Dll => Path.Combine(RepoRoot(), "AppHost", "bin", s_configuration, "net10.0", "AspireProber.AppHost.dll");

    /// <summary>Starts the AppHost built with this test (same configuration), without letting it build the services again; <paramref name="args"/> add configuration overrides.</summary>
    public static AppHostProcess Start(params string[] args)
    {
        var dll = Dll;
        Assert.True(File.Exists(dll), $"{dll} is not built.");
        var startInfo = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        foreach (var arg in (string[])[dll, "--AppHost:BuildProjects=false", .. args])
        {
            startInfo.ArgumentList.Add(arg);
        }
        return new AppHostProcess(Process.Start(startInfo)!);
    }

    /// <summary>Waits until every one of <paramref name="replicas"/> shows <c>Running (Healthy)</c>, then records the AppHost's children.</summary>
    public async Task<IReadOnlyDictionary<string, Row>> WaitForAllHealthyAsync(string[] replicas, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            lock (_gate)
            {
                if (replicas.All(r => _rows.TryGetValue(r, out var row) && row.State == "Running (Healthy)"))
                {
                    _children = ChildrenOf(_process.Id);
                    return new Dictionary<string, Row>(_rows);
                }
            }
            if (_process.HasExited)
            {
                Assert.Fail($"The AppHost exited ({_process.ExitCode}) before every resource was healthy.\n{Output()}");
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"Not every resource was healthy within {limit.TotalSeconds} s.\n{Output()}");
    }

    /// <summary>Waits until <paramref name="replica"/>'s row shows <paramref name="state"/> (e.g. <c>RuntimeUnavailable</c>).</summary>
    public async Task<Row> WaitForStateAsync(string replica, string state, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            lock (_gate)
            {
                if (_rows.TryGetValue(replica, out var row) && row.State == state)
                {
                    return row;
                }
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{replica} was not {state} within {limit.TotalSeconds} s.\n{Output()}");
    }

    /// <summary>The dashboard's login URL (with its token) the AppHost printed; waits until it did.</summary>
    public async Task<Uri> WaitForDashboardLoginUrlAsync(TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            lock (_gate)
            {
                if (_dashboardLoginUrl is not null)
                {
                    return _dashboardLoginUrl;
                }
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The AppHost printed no dashboard login URL within {limit.TotalSeconds} s.\n{Output()}");
    }

    /// <summary>The AppHost's child processes when every resource was healthy (each leads its own process group).</summary>
    public int[] Children => _children;

    /// <summary>SIGTERM, as a service manager or `kill` stops it; returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan limit)
    {
        kill(_process.Id, SIGTERM);
        try
        {
            await _process.WaitForExitAsync().WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The AppHost did not exit within {limit.TotalSeconds} s of SIGTERM.\n{Output()}");
        }
        await _reading.WaitAsync(TimeSpan.FromSeconds(5));
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the AppHost runs no cleanup code; waits until it is gone.</summary>
    public async Task KillAsync(TimeSpan limit)
    {
        kill(_process.Id, SIGKILL);
        await _process.WaitForExitAsync().WaitAsync(limit);
    }

    /// <summary>The last lines the AppHost printed, for failure messages.</summary>
    public string Output()
    {
        lock (_gate)
        {
            return string.Join('\n', _lastLines);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            kill(_process.Id, SIGTERM);
            if (!_process.WaitForExit(TimeSpan.FromSeconds(15)))
            {
                kill(_process.Id, SIGKILL);
                await _process.WaitForExitAsync();
            }
        }
        foreach (var group in _children)
        {
            kill(-group, SIGKILL);
        }
        _process.Dispose();
    }

    /// <summary>Live (non-zombie) processes in the process groups of <paramref name="groups"/>.</summary>
    public static int[] ProcessesIn(int[] groups) => [.. Processes().Where(p => p.State != "Z" && groups.Contains(p.Group)).Select(p => p.Pid)];

    /// <summary>Waits until no live process is left in <paramref name="groups"/>; returns those still alive at <paramref name="limit"/>.</summary>
    public static async Task<int[]> WaitUntilGoneAsync(int[] groups, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (ProcessesIn(groups) is { Length: > 0 } alive)
        {
            if (DateTime.UtcNow > deadline)
            {
                return alive;
            }
            await Task.Delay(100);
        }
        return [];
    }

    private static int[] ChildrenOf(int parent) => [.. Processes().Where(p => p.Parent == parent).Select(p => p.Pid)];

    private static IEnumerable<(int Pid, string State, int Parent, int Group)> Processes()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue; // Gone meanwhile.
            }
            // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            yield return (pid, fields[0], int.Parse(fields[1]), int.Parse(fields[2]));
        }
    }

    private async Task ReadOutputAsync()
    {
        var stderr = Task.Run(async () =>
        {
            while (await _process.StandardError.ReadLineAsync() is { } line)
            {
                Remember("stderr: " + line);
            }
        });
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            Remember(line);
            if (LoginUrl().Match(line) is { Success: true } login)
            {
                lock (_gate)
                {
                    _dashboardLoginUrl = new Uri(login.Groups["url"].Value);
                }
            }
            else if (TableRow().Match(line) is { Success: true } match)
            {
                lock (_gate)
                {
                    _rows[match.Groups["name"].Value] = new Row(match.Groups["state"].Value, match.Groups["detail"].Value);
                }
            }
        }
        await stderr;
    }

    private void Remember(string line)
    {
        lock (_gate)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > 60)
            {
                _lastLines.Dequeue();
            }
        }
    }

    internal static string RepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AspireProber.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("AspireProber.sln not found above " + AppContext.BaseDirectory);
    }

    // Rows start at column 0 with a replica name ("name-index"); the AppHost's log lines start with "info:" or spaces.
    [GeneratedRegex(@"^(?<name>[a-zA-Z][a-zA-Z0-9-]*-\d+) {2,}(?<state>\w+(?: \(\w+\))?)(?: {2,}(?<detail>.*))?$")]
    private static partial Regex TableRow();

    // The console logger puts the message on its own indented line: "      Login to the dashboard at http://127.0.0.1:port/login?t=token".
    [GeneratedRegex(@"Login to the dashboard at (?<url>http://\S+)")]
    private static partial Regex LoginUrl();

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
