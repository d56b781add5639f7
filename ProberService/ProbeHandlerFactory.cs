using System.Net;
using System.Net.Sockets;

namespace AspireProber.ProberService;

/// <summary>
/// Creates the HTTP handlers attempts run on: redirects, proxies, cookies and decompression off (a probe measures
/// the target as it answers), and a connect step that resolves the host itself and checks every address with the
/// <see cref="TargetGuard"/> — so the address actually connected to is the one checked, and DNS rebinding
/// cannot slip a denied address in between a check and the connection.
/// </summary>
public sealed class ProbeHandlerFactory(TargetGuard guard)
{
    /// <summary>A new handler with its own connection pool; the caller disposes it.</summary>
    public SocketsHttpHandler Create() => new()
    {
        AllowAutoRedirect = false,     // each hop passes the guard: ProbeExecutor follows redirects itself
        UseProxy = false,              // through a proxy the guard would check the proxy's address, not the target's
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectCallback = ConnectAsync,
    };

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endPoint = context.DnsEndPoint;
        var addresses = IPAddress.TryParse(endPoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endPoint.Host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }
        foreach (var address in addresses)
        {
            // One denied address denies the name: a name that mixes public and metadata addresses is an attack.
            if (guard.CheckAddress(address) is { } reason)
            {
                throw new TargetBlockedException($"'{endPoint.Host}' resolves to {reason}");
            }
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endPoint.Port, cancellationToken).ConfigureAwait(false);
            if (socket.RemoteEndPoint is IPEndPoint remote && guard.CheckAddress(remote.Address) is { } reason)
            {
                throw new TargetBlockedException($"'{endPoint.Host}' connected to {reason}");
            }
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
