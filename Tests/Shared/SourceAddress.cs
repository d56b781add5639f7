using System.Net;
using System.Net.Sockets;

namespace AspireProber.Tests.Shared;

/// <summary>Clients whose connections come from another loopback address, which our services count as another caller.</summary>
public static class SourceAddress
{
    /// <summary>
    /// A handler whose connections leave from <paramref name="source"/> (any 127.x.y.z is this machine on Linux), with
    /// more than one HTTP/2 connection allowed, so a test can open more than the 100 streams Kestrel allows on one.
    /// </summary>
    public static SocketsHttpHandler Handler(IPAddress source) => new()
    {
        EnableMultipleHttp2Connections = true,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
