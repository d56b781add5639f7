using System.Buffers;
using Google.Protobuf;
using Grpc.Testing;

namespace AspireProber.GrpcBench;

/// <summary>
/// What the messages of one unary call cost by themselves: parsing the SimpleRequest and building the
/// SimpleResponse exactly as TestServiceImpl.UnaryCall does. Issue #2's allocation goal is about what the
/// gRPC layer allocates beyond this (and beyond raw Kestrel).
/// </summary>
internal static class MessageAllocations
{
    private const int Iterations = 10_000;

    // Where each iteration's messages go, so the JIT cannot treat them as unused and skip or stack-allocate them.
    private static SimpleRequest? s_request;
    private static SimpleResponse? s_response;

    public static double BytesPerCall(SimpleRequest request)
    {
        // Parsed from a ReadOnlySequence, as the server's protobuf marshaller does (no CodedInputStream).
        var bytes = new ReadOnlySequence<byte>(request.ToByteArray());
        RunOnce(bytes); // first-call costs (statics, JIT) are not per call
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Iterations; i++)
        {
            RunOnce(bytes);
        }
        return (double)(GC.GetAllocatedBytesForCurrentThread() - before) / Iterations;
    }

    private static void RunOnce(ReadOnlySequence<byte> requestBytes)
    {
        s_request = SimpleRequest.Parser.ParseFrom(requestBytes);
        s_response = new SimpleResponse
        {
            Payload = new Payload { Type = PayloadType.Compressable, Body = ByteString.CopyFrom(new byte[s_request.ResponseSize]) },
        };
    }
}
