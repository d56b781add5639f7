using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using AspireProber.Tests.Shared;

namespace AspireProber.AppHost.Tests;

/// <summary>
/// The built AppHost as its own process, started as <see cref="AppHostLaunch"/> describes, in a session of its own
/// with SIGINT at its default action: as a terminal runs <c>dotnet run --project AppHost</c>, so a SIGINT to its
/// process group is the terminal's Ctrl+C. Its console output is collected, and it gets a TMPDIR of its own (DCP's state
/// and the run's Prometheus folder go there). Disposing it kills whatever of it still runs and deletes that folder.
/// </summary>
internal sealed class BuiltAppHost : IDisposable
{
    private const int SigInt = 2;

    private static readonly TimeSpan s_startLimit = TimeSpan.FromSeconds(150);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<int> _started = [];

    private BuiltAppHost(Process process, string tempDirectory) => (_process, TempDirectory) = (process, tempDirectory);

    /// <summary>The AppHost's TMPDIR.</summary>
    public string TempDirectory { get; }

    /// <summary>The AppHost's process id, which is also its process group's and session's.</summary>
    public int Id => _process.Id;

    /// <summary>DCP's processes and theirs, as <see cref="WaitForEverythingStartedAsync"/> last found them.</summary>
    public IReadOnlyList<int> Started => _started;

    /// <summary>Everything the AppHost printed so far, stdout and stderr interleaved as they came.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the AppHost's build output (of this test project's configuration).</summary>
    public static BuiltAppHost Start()
    {
        var tempDirectory = Directory.CreateTempSubdirectory("aspireprober-built-apphost-").FullName;
        // The AppHost's build output in this test project's configuration (bin/{Configuration}/net10.0).
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var appHost = Path.Combine(RepoPaths.Root(), "AppHost", "bin", configuration, "net10.0", "AspireProber.AppHost");
        // setsid: a session and process group of its own, as a terminal gives the command it runs. perl sets SIGINT
        // back to its default: a test host started in the background inherits it ignored, and exec keeps it so.
        var info = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = Path.Combine(RepoPaths.Root(), "AppHost"),
            ArgumentList = { "perl", "-e", "$SIG{INT} = 'DEFAULT'; exec { $ARGV[0] } @ARGV or die \"exec $ARGV[0]: $!\"", appHost },
        };
        AppHostLaunch.Configure(info, tempDirectory);
        var host = new BuiltAppHost(Process.Start(info)!, tempDirectory);
        host._process.OutputDataReceived += (_, line) => host.Append(line.Data);
        host._process.ErrorDataReceived += (_, line) => host.Append(line.Data);
        host._process.BeginOutputReadLine();
        host._process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Waits until the console shows <paramref name="text"/>; fails with the output if the AppHost exits or the time runs out.</summary>
    public async Task WaitForOutputAsync(string text)
    {
        var deadline = DateTime.UtcNow + s_startLimit;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited)
            {
                Assert.Fail($"The AppHost exited ({_process.ExitCode}) before printing '{text}':\n{Tail()}");
            }
            Assert.True(DateTime.UtcNow < deadline, $"Within {s_startLimit.TotalSeconds} s the AppHost did not print '{text}':\n{Tail()}");
            await Task.Delay(250);
        }
    }

    /// <summary>
    /// Waits until DCP runs the dashboard, prometheus and every service replica (each its built executable), and
    /// returns DCP's processes and all of theirs (also kept in <see cref="Started"/>).
    /// </summary>
    public async Task<IReadOnlyList<int>> WaitForEverythingStartedAsync()
    {
        var expected = RunningApp.SystemReplicas.ToDictionary(r => ServiceExecutable(r.Key), r => r.Value);
        var deadline = DateTime.UtcNow + s_startLimit;
        while (true)
        {
            var dcp = ProcessTable.All().Where(pid => ProcessTable.CommandLine(pid)?.Contains($"--monitor {Id}", StringComparison.Ordinal) == true).ToArray();
            int[] processes = [.. dcp, .. dcp.SelectMany(ProcessTable.DescendantsOf)];
            var commands = processes.Select(ProcessTable.CommandLine).OfType<string>().ToArray();
            var running = expected.Keys.ToDictionary(exe => exe, exe => commands.Count(c => c.StartsWith(exe, StringComparison.Ordinal)));
            if (running.All(r => r.Value == expected[r.Key])
                && commands.Any(c => c.Contains("Aspire.Dashboard", StringComparison.Ordinal))
                && commands.Any(c => c.StartsWith("prometheus ", StringComparison.Ordinal)))
            {
                _started.Clear();
                _started.AddRange(processes);
                return processes;
            }
            if (_process.HasExited)
            {
                Assert.Fail($"The AppHost exited ({_process.ExitCode}):\n{Tail()}");
            }
            Assert.True(DateTime.UtcNow < deadline,
                $"Within {s_startLimit.TotalSeconds} s not everything ran: {string.Join(", ", running.Select(r => $"{Path.GetFileName(r.Key)} {r.Value}/{expected[r.Key]}"))}\n"
                + $"{string.Join("\n", commands)}\n{Tail()}");
            await Task.Delay(500);
        }
    }

    /// <summary>The running processes of <paramref name="resource"/>'s service executable among <see cref="Started"/>.</summary>
    public int[] ProcessesOf(string resource) =>
        [.. _started.Where(pid => ProcessTable.CommandLine(pid)?.StartsWith(ServiceExecutable(resource), StringComparison.Ordinal) == true)];

    /// <summary>A terminal's Ctrl+C: SIGINT to every process of the AppHost's process group.</summary>
    public void Interrupt() => Assert.Equal(0, kill(-Id, SigInt));

    /// <summary>SIGKILL to the AppHost alone, which gets no chance to stop anything.</summary>
    public void Kill() => _process.Kill();

    /// <summary>Waits up to <paramref name="limit"/> for the AppHost to exit and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"The AppHost did not exit within {limit.TotalSeconds} s:\n{Tail()}");
        }
        return _process.ExitCode;
    }

    /// <summary>The last 4,000 characters of the output, for failure messages.</summary>
    public string Tail() => Output is { Length: > 4000 } output ? output[^4000..] : Output;

    public void Dispose()
    {
        foreach (var pid in _started.Prepend(Id).Where(ProcessTable.IsAlive))
        {
            try
            {
                Process.GetProcessById(pid).Kill();
            }
            catch (ArgumentException)
            {
                // ended meanwhile
            }
        }
        _process.Dispose();
        // Killed processes end a moment later; DCP writes in this folder until it has.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_started.Any(ProcessTable.IsAlive) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(100);
        }
        Directory.Delete(TempDirectory, recursive: true);
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    // A resource's service executable, e.g. <repo>/ProberService/bin/Release/net10.0/AspireProber.ProberService.
    private static string ServiceExecutable(string resource)
    {
        var project = ProcessTable.ServiceFolders[resource];
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        return Path.Combine(RepoPaths.Root(), project, "bin", configuration, "net10.0", "AspireProber." + project);
    }

    // .NET has no API to signal a process group (Process.Kill sends SIGKILL to one process).
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
