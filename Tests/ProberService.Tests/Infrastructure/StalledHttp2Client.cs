using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Google.Protobuf;

namespace AspireProber.ProberService.Tests.Infrastructure;

/// <summary>
/// A raw HTTP/2 client that starts gRPC calls and never reads their responses: it announces a flow-control window of
/// 0 for every stream (SETTINGS_INITIAL_WINDOW_SIZE = 0) and never sends WINDOW_UPDATE, so the server cannot send one
/// byte of any response message. No .NET client can be told to do this (SocketsHttpHandler's smallest window is 64 KB).
/// </summary>
public sealed class StalledHttp2Client : IAsyncDisposable
{
    private readonly Socket _socket = new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly string _authority;
    private Task _reading = Task.CompletedTask;
    private int _nextStreamId = 1;

    private StalledHttp2Client(Uri address) => _authority = $"{address.Host}:{address.Port}";

    /// <summary>Connects to <paramref name="address"/> (h2c) and sends the preface and settings.</summary>
    public static async Task<StalledHttp2Client> ConnectAsync(Uri address)
    {
        var client = new StalledHttp2Client(address);
        await client._socket.ConnectAsync(IPAddress.Parse(address.Host), address.Port);
        await client._socket.SendAsync(Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
        // SETTINGS_ENABLE_PUSH = 0, SETTINGS_INITIAL_WINDOW_SIZE = 0.
        await client.SendFrameAsync(type: 0x4, flags: 0, streamId: 0, [0, 2, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0]);
        client._reading = client.ReadFramesAsync();
        return client;
    }

    /// <summary>Starts a call of <paramref name="path"/> with <paramref name="request"/> as its one message, and returns at once.</summary>
    public async Task StartCallAsync(string path, IMessage request)
    {
        var streamId = Interlocked.Add(ref _nextStreamId, 2) - 2;
        var headers = new MemoryStream();
        foreach (var (name, value) in new[]
        {
            (":method", "POST"), (":scheme", "http"), (":path", path), (":authority", _authority),
            ("content-type", "application/grpc"), ("te", "trailers"),
        })
        {
            // HPACK "literal header field without indexing, new name"; every name and value here is under 127 bytes.
            headers.WriteByte(0);
            headers.WriteByte((byte)name.Length);
            headers.Write(Encoding.ASCII.GetBytes(name));
            headers.WriteByte((byte)value.Length);
            headers.Write(Encoding.ASCII.GetBytes(value));
        }
        await SendFrameAsync(type: 0x1, flags: 0x4, streamId, headers.ToArray());   // HEADERS, END_HEADERS
        var message = request.ToByteArray();
        var data = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(1), (uint)message.Length);
        message.CopyTo(data, 5);
        await SendFrameAsync(type: 0x0, flags: 0x1, streamId, data);                  // DATA, END_STREAM
    }

    // Answers the server's SETTINGS and PINGs (a peer that does not is disconnected); everything else is ignored.
    private async Task ReadFramesAsync()
    {
        var header = new byte[9];
        try
        {
            while (true)
            {
                await ReceiveExactlyAsync(header);
                var length = (header[0] << 16) | (header[1] << 8) | header[2];
                var type = header[3];
                var flags = header[4];
                var payload = new byte[length];
                await ReceiveExactlyAsync(payload);
                if (type == 0x4 && (flags & 0x1) == 0)
                {
                    await SendFrameAsync(type: 0x4, flags: 0x1, streamId: 0, []);
                }
                else if (type == 0x6 && (flags & 0x1) == 0)
                {
                    await SendFrameAsync(type: 0x6, flags: 0x1, streamId: 0, payload);
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException or EndOfStreamException)
        {
        }
    }

    private async Task ReceiveExactlyAsync(byte[] buffer)
    {
        for (var read = 0; read < buffer.Length;)
        {
            var n = await _socket.ReceiveAsync(buffer.AsMemory(read), _stop.Token);
            if (n == 0)
            {
                throw new EndOfStreamException();
            }
            read += n;
        }
    }

    private async Task SendFrameAsync(byte type, byte flags, int streamId, byte[] payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), streamId);
        payload.CopyTo(frame, 9);
        await _writeLock.WaitAsync();
        try
        {
            await _socket.SendAsync(frame);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Closes the connection, which ends every call on it.</summary>
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _socket.Dispose();
        await _reading;
        _stop.Dispose();
        _writeLock.Dispose();
    }
}
