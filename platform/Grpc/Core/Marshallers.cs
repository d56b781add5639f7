using System.Buffers;
using System.Text;
using Google.Protobuf;

namespace Grpc.Core;

/// <summary>Ready-made marshallers.</summary>
public static class Marshallers
{
    /// <summary>A marshaller from array-based functions.</summary>
    public static Marshaller<T> Create<T>(Func<T, byte[]> serializer, Func<byte[], T> deserializer) =>
        new((value, writer) => writer.Write(serializer(value)), bytes => deserializer(bytes.ToArray()));

    /// <summary>A protobuf message marshaller: sizes, writes and parses without intermediate copies.</summary>
    public static Marshaller<T> ForMessage<T>(MessageParser<T> parser) where T : IMessage<T> =>
        new(static (message, writer) => message.WriteTo(writer), parser.ParseFrom, static message => message.CalculateSize());

    /// <summary>UTF-8 strings.</summary>
    public static readonly Marshaller<string> StringMarshaller =
        new((value, writer) => Encoding.UTF8.GetBytes(value, writer), bytes => Encoding.UTF8.GetString(bytes), Encoding.UTF8.GetByteCount);

    /// <summary>Raw message bytes, passed through untouched (for proxies and benchmarks).</summary>
    public static readonly Marshaller<byte[]> BytesMarshaller =
        new((value, writer) => writer.Write(value), bytes => bytes.ToArray(), value => value.Length);
}
