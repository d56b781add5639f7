using System.Net;
using System.Net.Http.Headers;
using Grpc.Shared;

namespace Grpc.Net.Client.Internal;

/// <summary>
/// The body of a unary or server-streaming request: one message, framed once when the call starts so that every
/// attempt of a retried call sends the same bytes, and a message over the size limit fails before anything is sent.
/// </summary>
internal sealed class FramedMessageContent : HttpContent
{
    private readonly ReadOnlyMemory<byte> _frame;

    public FramedMessageContent(ReadOnlyMemory<byte> frame)
    {
        _frame = frame;
        Headers.ContentType = new MediaTypeHeaderValue(GrpcProtocolConstants.GrpcContentType);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        stream.WriteAsync(_frame).AsTask();

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        stream.WriteAsync(_frame, cancellationToken).AsTask();

    protected override bool TryComputeLength(out long length)
    {
        length = _frame.Length;
        return true;
    }
}
