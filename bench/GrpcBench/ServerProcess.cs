using System.Diagnostics;
using System.Text;

namespace AspireProber.GrpcBench;

/// <summary>
/// A server under test in its own process, listening on a port it picked itself and announced as
/// "LISTENING &lt;port&gt;". Disposing kills it (and anything it started); its stdin is a pipe the bench
/// holds, so a server that watches stdin (grpc-go-echo) also exits if the bench dies without disposing.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>CPU time the server has used so far (all its threads, user and kernel).</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static async Task<ServerProcess> StartAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var description = ChildProcess.Describe(fileName, start.ArgumentList);
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
            var port = await ReadPortAsync(process, cancellationToken);
            // The rest of stdout is drained so a chatty server never blocks on a full pipe.
            _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
            return new ServerProcess(process, port);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Stop(process);
            string errors;
            lock (standardError)
            {
                errors = standardError.ToString();
            }
            throw new InvalidOperationException($"{description} did not announce its port: {e.Message}\n{errors}", e);
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

    private static async Task<int> ReadPortAsync(Process process, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartTimeout);
        while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
        {
            if (line.StartsWith("LISTENING ", StringComparison.Ordinal))
            {
                return int.Parse(line.AsSpan("LISTENING ".Length));
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
