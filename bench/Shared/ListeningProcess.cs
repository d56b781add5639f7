using System.Diagnostics;
using System.Text;

namespace AspireProber.Bench;

/// <summary>
/// A server the bench runs in its own process: ready once it printed a line "LISTENING" (optionally followed by an
/// announcement, e.g. its port), or a line a caller's readiness test accepts. Its stderr is kept for error messages
/// and the rest of its stdout drained, so a chatty server never blocks on a full pipe. Disposing kills it and anything
/// it started; its stdin is a pipe the bench holds, so a server that watches stdin also exits if the bench dies
/// without disposing.
/// </summary>
internal sealed class ListeningProcess : IAsyncDisposable
{
    private const string Ready = "LISTENING";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private ListeningProcess(Process process, string announcement)
    {
        Process = process;
        Announcement = announcement;
    }

    /// <summary>The running process.</summary>
    public Process Process { get; }

    /// <summary>What followed "LISTENING" on its line, trimmed (empty when nothing did); with a readiness test, the line it accepted.</summary>
    public string Announcement { get; }

    public static async Task<ListeningProcess> StartAsync(ProcessStartInfo start, CancellationToken cancellationToken)
    {
        var process = await StartAsync(start, line => line == Ready || line.StartsWith(Ready + " ", StringComparison.Ordinal), cancellationToken);
        return new ListeningProcess(process.Process, process.Announcement[Ready.Length..].Trim());
    }

    /// <summary>Starts a process that is ready once <paramref name="isReady"/> accepts one of its stdout lines (it sees every line up to that one, in order).</summary>
    public static async Task<ListeningProcess> StartAsync(ProcessStartInfo start, Func<string, bool> isReady, CancellationToken cancellationToken)
    {
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var description = ChildProcess.Describe(start.FileName, start.ArgumentList);
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
            var announcement = await ReadReadyLineAsync(process, isReady, cancellationToken);
            _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
            return new ListeningProcess(process, announcement);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Stop(process);
            string errors;
            lock (standardError)
            {
                errors = standardError.ToString();
            }
            throw new InvalidOperationException($"{description} did not start: {e.Message}\n{errors}", e);
        }
        catch
        {
            Stop(process);
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        Stop(Process);
        return ValueTask.CompletedTask;
    }

    private static async Task<string> ReadReadyLineAsync(Process process, Func<string, bool> isReady, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartTimeout);
        while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
        {
            if (isReady(line))
            {
                return line;
            }
        }
        throw new InvalidOperationException($"it exited with code {(process.WaitForExit(1000) ? process.ExitCode : -1)}.");
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
