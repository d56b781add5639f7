using System.Net;
using System.Net.Sockets;
using Grpc.Net.Client;

namespace AspireProber.HostileBench;

/// <summary>
/// The hostile client's gRPC channels: every connection leaves from <see cref="Address"/>, so the services count it
/// as a caller of its own (their per-caller bounds key on the peer's IP address) and the runner, which calls them
/// from 127.0.0.1, keeps its own share. Any 127.x.y.z is this machine on Linux: nothing leaves loopback.
/// </summary>
internal sealed class HostileCaller : IDisposable
{
    /// <summary>The address the hostile client's connections come from.</summary>
    public static readonly IPAddress Address = IPAddress.Parse("127.0.0.2");

    private readonly List<GrpcChannel> _channels = [];

    /// <summary>A channel to <paramref name="server"/> (a replica's own address), disposed with this caller.</summary>
    public GrpcChannel ChannelTo(Uri server)
    {
        var handler = new SocketsHttpHandler
        {
            // Kestrel allows 100 streams on one HTTP/2 connection; past them a call opens another connection
            // instead of queueing behind the held streams.
            EnableMultipleHttp2Connections = true,
            ConnectCallback = ConnectFromAddressAsync,
        };
        var channel = GrpcChannel.ForAddress(server, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
        _channels.Add(channel);
        return channel;
    }

    public void Dispose()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
    }

    private static async ValueTask<Stream> ConnectFromAddressAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(Address, 0));
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new NetworkStream(socket, ownsSocket: true);
    }
}
