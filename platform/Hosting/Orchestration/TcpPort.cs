using System.Net.Sockets;

namespace Aspire.Hosting.Orchestration;

/// <summary>Waits for a port to accept TCP connections: the cheapest sign a server is listening, whatever it speaks.</summary>
internal static class TcpPort
{
    private static readonly TimeSpan s_retryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>True once <paramref name="host"/>:<paramref name="port"/> accepts; false after <paramref name="timeout"/> or as soon as <paramref name="keepWaiting"/> says no (the process exited).</summary>
    public static async Task<bool> WaitUntilAcceptingAsync(string host, int port, Func<bool> keepWaiting, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (keepWaiting() && DateTime.UtcNow < deadline)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(s_retryDelay, cancellationToken).ConfigureAwait(false);
            }
        }
        return false;
    }
}
