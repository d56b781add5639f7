using System.Diagnostics;

namespace Aspire.Hosting.Orchestration;

/// <summary>
/// One launched replica process. On Unix it starts under <c>setsid</c>, so it leads its own process group: a stop
/// signals the whole group (grandchildren such as <c>dotnet run</c>'s app included), Ctrl+C in the AppHost's terminal
/// reaches only the AppHost (which then stops children in dependency order), and the <see cref="ProcessReaper"/> can
/// kill the group if the AppHost dies.
/// </summary>
internal sealed class ChildProcess
{
    private static readonly string? s_setsid = OperatingSystem.IsWindows() ? null : CommandResolver.Resolve("setsid", "/");

    private readonly Process _process;
    private readonly ProcessReaper _reaper;
    private readonly string _killTarget;

    private ChildProcess(Process process, ProcessReaper reaper, Action<string, bool> onLine)
    {
        _process = process;
        _reaper = reaper;
        // setsid execs in place (the forked child is never a group leader), so the pid is also the group id.
        _killTarget = s_setsid is not null ? $"-{process.Id}" : $"{process.Id}";
        _reaper.RegisterProcess(_killTarget);
        var readOut = PumpAsync(process.StandardOutput, line => onLine(line, false));
        var readErr = PumpAsync(process.StandardError, line => onLine(line, true));
        Exited = WatchExitAsync(readOut, readErr);
    }

    public int Id => _process.Id;

    public DateTimeOffset StartTime { get; } = DateTimeOffset.UtcNow;

    /// <summary>The exit code, once the process has exited, its output is read, and anything left in its group is killed.</summary>
    public Task<int> Exited { get; }

    /// <exception cref="System.ComponentModel.Win32Exception">The program could not be started.</exception>
    public static ChildProcess Start(LaunchPlan plan, ProcessReaper reaper, Action<string, bool> onLine)
    {
        var startInfo = new ProcessStartInfo(s_setsid ?? plan.FileName)
        {
            WorkingDirectory = plan.WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // A pipe nobody writes: the child must not read the AppHost's terminal.
            RedirectStandardInput = true,
        };
        if (s_setsid is not null)
        {
            startInfo.ArgumentList.Add(plan.FileName);
        }
        foreach (var arg in plan.Args)
        {
            startInfo.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in plan.Environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }
        return new ChildProcess(Process.Start(startInfo)!, reaper, onLine);
    }

    /// <summary>SIGTERM to the group, then SIGKILL after <paramref name="gracePeriod"/>; returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan gracePeriod)
    {
        if (OperatingSystem.IsWindows())
        {
            KillTree();
            return await Exited.ConfigureAwait(false);
        }
        Signal(NativeMethods.SIGTERM);
        try
        {
            return await Exited.WaitAsync(gracePeriod).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            KillTree();
            return await Exited.ConfigureAwait(false);
        }
    }

    private void Signal(int signal) => NativeMethods.Signal(int.Parse(_killTarget, System.Globalization.CultureInfo.InvariantCulture), signal);

    private void KillTree()
    {
        if (!OperatingSystem.IsWindows())
        {
            Signal(NativeMethods.SIGKILL);
        }
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private async Task<int> WatchExitAsync(Task readOut, Task readErr)
    {
        await _process.WaitForExitAsync().ConfigureAwait(false);
        try
        {
            // A grandchild may hold the pipes open; the last lines are worth a moment, not a hang.
            await Task.WhenAll(readOut, readErr).WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        if (s_setsid is not null)
        {
            // No orphans: whatever the process left running in its group goes with it.
            Signal(NativeMethods.SIGKILL);
        }
        _reaper.UnregisterProcess(_killTarget);
        var exitCode = _process.ExitCode;
        _process.Dispose();
        return exitCode;
    }

    private static async Task PumpAsync(StreamReader reader, Action<string> onLine)
    {
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                onLine(line);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The pipe broke as the process went away; its exit is reported separately.
        }
    }
}
