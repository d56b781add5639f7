using System.Buffers;
using System.IO.Pipelines;
using Grpc.Core;
using Grpc.Net.Compression;
using Grpc.Shared;

namespace AspireProber.Grpc.Tests.Shared;

public sealed class MessageFramingTests
{
    private static readonly MessageReadSettings Plain = new(4 * 1024 * 1024, null, null);

    [Fact]
    public void Writes_flag_then_big_endian_length_then_payload()
    {
        var output = new ArrayBufferWriter<byte>();
        MessageFraming.WriteMessage(output, "hi", Marshallers.StringMarshaller, compression: null, maxSendMessageSize: null);

        Assert.Equal(new byte[] { 0, 0, 0, 0, 2, (byte)'h', (byte)'i' }, output.WrittenSpan.ToArray());
    }

    [Fact]
    public void A_marshaller_without_size_calculation_frames_the_same_bytes()
    {
        var arrayBased = Marshallers.Create<string>(s => System.Text.Encoding.UTF8.GetBytes(s), b => System.Text.Encoding.UTF8.GetString(b));
        var output = new ArrayBufferWriter<byte>();
        MessageFraming.WriteMessage(output, "hi", arrayBased, compression: null, maxSendMessageSize: null);

        Assert.Equal(new byte[] { 0, 0, 0, 0, 2, (byte)'h', (byte)'i' }, output.WrittenSpan.ToArray());
    }

    [Fact]
    public async Task Reads_messages_split_across_many_small_writes()
    {
        var pipe = new Pipe();
        var frames = new ArrayBufferWriter<byte>();
        MessageFraming.WriteMessage(frames, "first", Marshallers.StringMarshaller, null, null);
        MessageFraming.WriteMessage(frames, "second", Marshallers.StringMarshaller, null, null);
        foreach (var b in frames.WrittenSpan.ToArray())
        {
            await pipe.Writer.WriteAsync(new[] { b });
        }
        await pipe.Writer.CompleteAsync();

        Assert.Equal("first", await MessageFraming.ReadMessageAsync(pipe.Reader, Marshallers.StringMarshaller, Plain, default));
        Assert.Equal("second", await MessageFraming.ReadMessageAsync(pipe.Reader, Marshallers.StringMarshaller, Plain, default));
        Assert.Null(await MessageFraming.ReadMessageAsync(pipe.Reader, Marshallers.StringMarshaller, Plain, default));
    }

    [Fact]
    public async Task Gzip_round_trip_sets_the_compressed_flag()
    {
        var gzip = new GzipCompressionProvider();
        var text = new string('a', 10_000);
        var frames = new ArrayBufferWriter<byte>();
        MessageFraming.WriteMessage(frames, text, Marshallers.StringMarshaller, gzip, null);

        Assert.Equal(1, frames.WrittenSpan[0]);
        Assert.True(frames.WrittenCount < 1000, "10 000 repeated bytes should compress well");
        var read = await ReadAllAsync(frames.WrittenSpan.ToArray(), new MessageReadSettings(null, "gzip", gzip));
        Assert.Equal(text, read);
    }

    [Fact]
    public async Task Truncated_frame_is_INTERNAL()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync([0, 0, 0, 0, 9, 1, 2], Plain));
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task Oversized_length_is_RESOURCE_EXHAUSTED_before_the_payload_arrives()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(new byte[] { 0, 0, 0x10, 0, 0 }); // declares 1 MiB, sends nothing more
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            MessageFraming.ReadMessageAsync(pipe.Reader, Marshallers.StringMarshaller, new MessageReadSettings(1024, null, null), default).AsTask());
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task Decompressed_size_is_limited_too()
    {
        var gzip = new GzipCompressionProvider();
        var frames = new ArrayBufferWriter<byte>();
        MessageFraming.WriteMessage(frames, new string('z', 100_000), Marshallers.StringMarshaller, gzip, null);

        var ex = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(frames.WrittenSpan.ToArray(), new MessageReadSettings(10_000, "gzip", gzip)));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("snappy")]
    public async Task Compressed_flag_without_a_usable_encoding_is_INTERNAL(string? encoding)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync([1, 0, 0, 0, 1, 42], new MessageReadSettings(null, encoding, null)));
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task Reserved_flag_bits_are_INTERNAL()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync([2, 0, 0, 0, 0], Plain));
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public void Sending_over_the_limit_is_RESOURCE_EXHAUSTED()
    {
        var ex = Assert.Throws<RpcException>(() =>
            MessageFraming.WriteMessage(new ArrayBufferWriter<byte>(), new string('x', 100), Marshallers.StringMarshaller, null, maxSendMessageSize: 10));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    private static async Task<string?> ReadAllAsync(byte[] bytes, MessageReadSettings settings)
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(bytes);
        await pipe.Writer.CompleteAsync();
        return await MessageFraming.ReadMessageAsync(pipe.Reader, Marshallers.StringMarshaller, settings, default);
    }
}
