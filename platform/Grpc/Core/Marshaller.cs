using System.Buffers;

namespace Grpc.Core;

/// <summary>
/// Serializes messages of one type into a buffer writer and parses them from a byte sequence, so framing can
/// write straight into the transport's pipe and parse from it without intermediate arrays.
/// </summary>
public sealed class Marshaller<T>
{
    /// <summary>Creates a marshaller.</summary>
    /// <param name="serializer">Writes the message's bytes.</param>
    /// <param name="deserializer">Parses a message from its bytes.</param>
    /// <param name="calculateSize">The serialized size, when known cheaply; lets the frame header be written first.</param>
    public Marshaller(Action<T, IBufferWriter<byte>> serializer, Func<ReadOnlySequence<byte>, T> deserializer, Func<T, int>? calculateSize = null)
    {
        Serializer = serializer ?? throw new ArgumentNullException(nameof(serializer));
        Deserializer = deserializer ?? throw new ArgumentNullException(nameof(deserializer));
        CalculateSize = calculateSize;
    }

    /// <summary>Writes the message's bytes.</summary>
    public Action<T, IBufferWriter<byte>> Serializer { get; }

    /// <summary>Parses a message from its bytes.</summary>
    public Func<ReadOnlySequence<byte>, T> Deserializer { get; }

    /// <summary>The serialized size of a message, or null when only serializing tells.</summary>
    public Func<T, int>? CalculateSize { get; }
}
