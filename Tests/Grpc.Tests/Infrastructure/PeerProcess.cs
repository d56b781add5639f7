using System.Diagnostics;
using System.Text;

namespace AspireProber.Grpc.Tests.Infrastructure;

/// <summary>
/// A peer program (node, python, go, our interop server) run by a test: output captured, the whole process
/// tree killed on dispose, so nothing outlives the test, also when it fails.
/// </summary>
public sealed class PeerProcess : IAsyncDisposable
{
    // Peers still running when the test host exits (a test that never disposed, a cancelled run) are
    // killed here, so a stopped test run leaves no server behind.
    private static readonly HashSet<Process> Running = [];

    static PeerProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource<string> _firstLine = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PeerProcess(Process process) => _process = process;

    /// <summary>The repository root (the folder holding AspireProber.sln).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    public string Stdout { get { lock (_stdout) { return _stdout.ToString(); } } }

    public string Stderr { get { lock (_stderr) { return _stderr.ToString(); } } }

    public static PeerProcess Start(string fileName, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepoRoot,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var peer = new PeerProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                peer._firstLine.TrySetException(new InvalidOperationException($"{fileName} closed its output. stderr: {peer.Stderr}"));
                return;
            }
            lock (peer._stdout)
            {
                peer._stdout.AppendLine(e.Data);
            }
            peer._firstLine.TrySetResult(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (peer._stderr)
                {
                    peer._stderr.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        lock (Running)
        {
            Running.Add(process);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return peer;
    }

    /// <summary>A peer server that prints "LISTENING &lt;port&gt;" once bound: waits for that line and returns the port.</summary>
    public async Task<int> WaitForListeningPortAsync(TimeSpan timeout)
    {
        var line = await _firstLine.Task.WaitAsync(timeout);
        var parts = line.Split(' ');
        if (parts.Length != 2 || parts[0] != "LISTENING" || !int.TryParse(parts[1], out var port))
        {
            throw new InvalidOperationException($"Expected 'LISTENING <port>', got '{line}'. stderr: {Stderr}");
        }
        return port;
    }

    /// <summary>Waits for the program to exit; kills it when the timeout passes first.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{_process.StartInfo.FileName} did not exit within {timeout}. stdout: {Stdout} stderr: {Stderr}");
        }
        // The parameterless wait drains the redirected output, so Stdout/Stderr are complete afterwards.
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    /// <summary>Runs a program to completion and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null)
    {
        await using var peer = Start(fileName, arguments, workingDirectory);
        var exitCode = await peer.WaitForExitAsync(timeout);
        return (exitCode, peer.Stdout, peer.Stderr);
    }

    public async ValueTask DisposeAsync()
    {
        lock (Running)
        {
            Running.Remove(_process);
        }
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped: nothing left to stop.
        }
        _process.Dispose();
    }

    private static void KillAll()
    {
        lock (Running)
        {
            foreach (var process in Running)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // Already exited.
                }
            }
            Running.Clear();
        }
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AspireProber.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"AspireProber.sln not found above {AppContext.BaseDirectory}.");
    }
}
