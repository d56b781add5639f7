using System.Diagnostics;

namespace AspireProber.GrpcBench;

/// <summary>
/// A server under test in its own process, listening on a port it picked itself and announced as
/// "LISTENING &lt;port&gt;" (started and stopped by <see cref="ListeningProcess"/>).
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly ListeningProcess _server;

    private ServerProcess(ListeningProcess server)
    {
        _server = server;
        Port = int.Parse(server.Announcement);
    }

    public int Port { get; }

    /// <summary>CPU time the server has used so far (all its threads, user and kernel).</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _server.Process.Refresh();
            return _server.Process.TotalProcessorTime;
        }
    }

    public static async Task<ServerProcess> StartAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var server = await ListeningProcess.StartAsync(start, cancellationToken);
        try
        {
            return new ServerProcess(server);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
