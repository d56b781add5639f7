using System.Buffers.Binary;
using Google.Protobuf;
using Grpc.Testing;

namespace AspireProber.GrpcBench;

/// <summary>The grpc.testing messages the benchmark sends, framed as they travel (5-byte prefix + protobuf).</summary>
internal static class GrpcMessages
{
    public const string UnaryCallPath = "/grpc.testing.TestService/UnaryCall";

    /// <summary>SimpleRequest with a small payload and response_size 0: the call's cost is the framework's, not the message's.</summary>
    public static SimpleRequest UnaryRequest(BenchSettings settings) =>
        new() { Payload = new Payload { Body = ByteString.CopyFrom(new byte[settings.UnaryPayloadSize]) } };

    /// <summary>Size of each StreamingOutputCallResponse our service (and grpc-go-echo) writes: the client checks it.</summary>
    public static int StreamResponseSize(BenchSettings settings) =>
        new StreamingOutputCallResponse { Payload = new Payload { Body = ByteString.CopyFrom(new byte[settings.StreamMessageSize]) } }.CalculateSize();

    public static byte[] Frame(IMessage message)
    {
        var frame = new byte[5 + message.CalculateSize()];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)(frame.Length - 5));
        message.WriteTo(frame.AsSpan(5));
        return frame;
    }
}
