using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using Grpc.Shared;

namespace Grpc.Net.Client.Internal;

/// <summary>
/// The body of a client-streaming or duplex request. HttpClient calls <see cref="SerializeToStreamAsync(Stream, TransportContext?, CancellationToken)"/>
/// once the request headers are out; the body hands the stream to the call's writer and stays open until the writer
/// completes it (half-close) or the call ends.
/// </summary>
internal sealed class StreamingRequestContent : HttpContent
{
    private readonly StreamingRequestBody _body;

    public StreamingRequestContent(StreamingRequestBody body)
    {
        _body = body;
        Headers.ContentType = new MediaTypeHeaderValue(GrpcProtocolConstants.GrpcContentType);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => _body.RunAsync(stream, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) => _body.RunAsync(stream, cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}

/// <summary>The request stream of one streaming call, shared by its writer and its HTTP request content.</summary>
internal sealed class StreamingRequestBody
{
    private readonly TaskCompletionSource<PipeWriter> _writer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _end = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The writer over the request stream, once HttpClient has opened it.</summary>
    public Task<PipeWriter> Writer => _writer.Task;

    /// <summary>Runs for as long as the request stream is open: from the request headers until half-close.</summary>
    public async Task RunAsync(Stream stream, CancellationToken cancellationToken)
    {
        var writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        if (!_writer.TrySetResult(writer))
        {
            // Only a connection that never opened lets a call move on, so a body is never asked for twice.
            throw new InvalidOperationException("The request stream of a streaming call cannot be sent twice.");
        }
        try
        {
            await _end.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Every message was flushed when written; completing only returns the pipe's buffers.
            await writer.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Ends the request stream: HttpClient sends END_STREAM.</summary>
    public void Complete() => _end.TrySetResult();

    /// <summary>Abandons the request stream because the call failed; the HTTP request is being reset.</summary>
    public void Abort()
    {
        _writer.TrySetCanceled();
        _end.TrySetCanceled();
    }
}
