using System.Diagnostics;
using System.Text;

namespace AspireProber.ServicesBench;

/// <summary>
/// One service run by this program in its own process (<see cref="ServiceHosts"/>), ready once it printed
/// "LISTENING". Disposing kills it; the bench disposes every one also on failure and on Ctrl+C/SIGTERM.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;

    private ServiceProcess(Process process) => _process = process;

    public int Id => _process.Id;

    /// <summary>Resident set size now (VmRSS of /proc/&lt;pid&gt;/status), in bytes.</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim()) * 1024;
            }
        }
        throw new InvalidOperationException($"no VmRSS in /proc/{_process.Id}/status");
    }

    public static async Task<ServiceProcess> StartAsync(string[] arguments, CancellationToken cancellationToken)
    {
        // This program again (the apphost next to the dll), so the service runs the build being measured.
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var description = string.Join(' ', arguments);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {description}.");
        var standardError = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (standardError)
            {
                standardError.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(StartTimeout);
            while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                if (line == "LISTENING")
                {
                    _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
                    return new ServiceProcess(process);
                }
            }
            throw new InvalidOperationException($"it exited with code {(process.WaitForExit(1000) ? process.ExitCode : -1)}");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Stop(process);
            string errors;
            lock (standardError)
            {
                errors = standardError.ToString();
            }
            throw new InvalidOperationException($"'{description}' did not start: {e.Message}\n{errors}", e);
        }
        catch
        {
            Stop(process);
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        Stop(_process);
        return ValueTask.CompletedTask;
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            process.WaitForExit(10_000);
        }
        finally
        {
            process.Dispose();
        }
    }
}
