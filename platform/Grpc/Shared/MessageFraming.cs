using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Grpc.Core;
using Grpc.Net.Compression;

namespace Grpc.Shared;

/// <summary>
/// Length-Prefixed-Message framing: a compressed flag byte, a 4-byte big-endian length, then the payload.
/// Messages are parsed straight from the pipe's buffers and serialized straight into the pipe when their size
/// is known up front; only compressed messages take a detour through a buffer.
/// </summary>
internal static class MessageFraming
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_serializationBuffer;

    /// <summary>Writes one framed message; the caller flushes.</summary>
    public static void WriteMessage<T>(IBufferWriter<byte> output, T message, Marshaller<T> marshaller, ICompressionProvider? compression, int? maxSendMessageSize)
    {
        if (compression is null && marshaller.CalculateSize is { } calculateSize)
        {
            var length = calculateSize(message);
            CheckSendSize(length, maxSendMessageSize);
            WriteHeader(output, compressed: false, length);
            marshaller.Serializer(message, output);
            return;
        }

        var buffer = t_serializationBuffer ??= new ArrayBufferWriter<byte>();
        buffer.ResetWrittenCount();
        marshaller.Serializer(message, buffer);
        if (compression is null)
        {
            CheckSendSize(buffer.WrittenCount, maxSendMessageSize);
            WriteHeader(output, compressed: false, buffer.WrittenCount);
            output.Write(buffer.WrittenSpan);
            return;
        }

        CheckSendSize(buffer.WrittenCount, maxSendMessageSize);
        using var compressed = new MemoryStream();
        using (var compressor = compression.CreateCompressionStream(compressed, compressionLevel: null))
        {
            compressor.Write(buffer.WrittenSpan);
        }
        WriteHeader(output, compressed: true, (int)compressed.Length);
        output.Write(compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
    }

    /// <summary>
    /// Reads the next message. Returns null at a clean end of stream; throws <see cref="RpcException"/> for a
    /// truncated frame (INTERNAL), an oversized one (RESOURCE_EXHAUSTED, before buffering it) or a compressed
    /// message without a usable encoding (INTERNAL).
    /// </summary>
    public static async ValueTask<T?> ReadMessageAsync<T>(PipeReader reader, Marshaller<T> marshaller, MessageReadSettings settings, CancellationToken cancellationToken)
        where T : class
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            try
            {
                if (TryReadFrame(ref buffer, settings.MaxReceiveMessageSize, out var compressed, out var payload))
                {
                    var message = Deserialize(payload, compressed, marshaller, settings);
                    reader.AdvanceTo(buffer.Start);
                    return message;
                }
            }
            catch
            {
                reader.AdvanceTo(buffer.Start);
                throw;
            }

            if (result.IsCompleted)
            {
                reader.AdvanceTo(buffer.End);
                if (buffer.Length == 0)
                {
                    return null;
                }
                throw new RpcException(new Status(StatusCode.Internal, "Incomplete message: the stream ended inside a length-prefixed message."));
            }
            if (result.IsCanceled)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                throw new OperationCanceledException(cancellationToken);
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Slices one complete frame off the front of <paramref name="buffer"/>, if it holds one.</summary>
    public static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, int? maxReceiveMessageSize, out bool compressed, out ReadOnlySequence<byte> payload)
    {
        compressed = false;
        payload = default;
        if (buffer.Length < GrpcProtocolConstants.MessageHeaderSize)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[GrpcProtocolConstants.MessageHeaderSize];
        buffer.Slice(0, GrpcProtocolConstants.MessageHeaderSize).CopyTo(header);
        compressed = header[0] switch
        {
            0 => false,
            1 => true,
            _ => throw new RpcException(new Status(StatusCode.Internal, $"Invalid compressed flag {header[0]} in a message header: only 0 and 1 are defined.")),
        };
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        // The size check comes before waiting for the payload, so an oversized message is never buffered.
        if (length > (uint)(maxReceiveMessageSize ?? int.MaxValue))
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted,
                $"Received message of {length} bytes exceeds the limit of {maxReceiveMessageSize} bytes."));
        }
        if (buffer.Length < GrpcProtocolConstants.MessageHeaderSize + length)
        {
            return false;
        }

        payload = buffer.Slice(GrpcProtocolConstants.MessageHeaderSize, length);
        buffer = buffer.Slice(payload.End);
        return true;
    }

    private static T Deserialize<T>(ReadOnlySequence<byte> payload, bool compressed, Marshaller<T> marshaller, MessageReadSettings settings)
    {
        if (compressed)
        {
            if (settings.Decompressor is null)
            {
                throw new RpcException(new Status(StatusCode.Internal, settings.Encoding is null or GrpcProtocolConstants.IdentityEncoding
                    ? "A message has the compressed flag set but the call has no grpc-encoding."
                    : $"A message is compressed with '{settings.Encoding}', which is not supported."));
            }
            payload = Decompress(payload, settings.Decompressor, settings.MaxReceiveMessageSize);
        }

        try
        {
            return marshaller.Deserializer(payload);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw new RpcException(new Status(StatusCode.Internal, "Failed to deserialize the message.", ex));
        }
    }

    private static ReadOnlySequence<byte> Decompress(ReadOnlySequence<byte> payload, ICompressionProvider decompressor, int? maxReceiveMessageSize)
    {
        var limit = maxReceiveMessageSize ?? int.MaxValue;
        using var input = new MemoryStream(payload.ToArray(), writable: false);
        using var decompressing = decompressor.CreateDecompressionStream(input);
        var output = new ArrayBufferWriter<byte>(Math.Max(256, (int)Math.Min(payload.Length * 4, 1 << 20)));
        try
        {
            int read;
            while ((read = decompressing.Read(output.GetSpan(8192))) > 0)
            {
                output.Advance(read);
                // The limit applies to the decompressed size too, so a small bomb cannot inflate without bound.
                if (output.WrittenCount > limit)
                {
                    throw new RpcException(new Status(StatusCode.ResourceExhausted,
                        $"Decompressed message exceeds the limit of {maxReceiveMessageSize} bytes."));
                }
            }
        }
        catch (InvalidDataException ex)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"Failed to decompress a message with '{decompressor.EncodingName}'.", ex));
        }
        return new ReadOnlySequence<byte>(output.WrittenMemory);
    }

    private static void WriteHeader(IBufferWriter<byte> output, bool compressed, int length)
    {
        var header = output.GetSpan(GrpcProtocolConstants.MessageHeaderSize);
        header[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(header[1..], (uint)length);
        output.Advance(GrpcProtocolConstants.MessageHeaderSize);
    }

    private static void CheckSendSize(int length, int? maxSendMessageSize)
    {
        if (length > maxSendMessageSize)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted,
                $"Sending message of {length} bytes exceeds the limit of {maxSendMessageSize} bytes."));
        }
    }
}

/// <summary>What reading a call's messages needs: the size limit and the call's message encoding.</summary>
internal readonly record struct MessageReadSettings(int? MaxReceiveMessageSize, string? Encoding, ICompressionProvider? Decompressor);
