using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AspireProber.ServiceDefaults.Tests.Infrastructure;

/// <summary>
/// A loopback HTTP/1.1 port that answers every request with 503 Service Unavailable and closes the connection, like an
/// overloaded OTLP endpoint: both the exporter and an HttpClient resilience handler treat 503 as worth retrying.
/// </summary>
public sealed class UnavailableListener : IDisposable
{
    private static readonly byte[] Response = Encoding.ASCII.GetBytes("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private int requests;

    public UnavailableListener()
    {
        listener.Start();
        _ = AcceptAsync();
    }

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");

    /// <summary>How many connections were answered.</summary>
    public int Requests => Volatile.Read(ref requests);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                using var socket = await listener.AcceptSocketAsync(stop.Token);
                Interlocked.Increment(ref requests);
                await socket.SendAsync(Response, stop.Token);
                socket.Shutdown(SocketShutdown.Both);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        stop.Dispose();
    }
}
