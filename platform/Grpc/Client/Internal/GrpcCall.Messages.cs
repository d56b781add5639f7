using Grpc.Core;
using Grpc.Shared;

namespace Grpc.Net.Client.Internal;

/// <summary>
/// Messages of a committed call: response messages read from the response stream through a PipeReader, request
/// messages framed straight into the request stream's PipeWriter. A failure while moving messages ends the call;
/// the caller then sees the call's status.
/// </summary>
internal sealed partial class GrpcCall<TRequest, TResponse>
{
    /// <summary>How long a failed write waits for the call's own status before reporting the write failure itself.</summary>
    private static readonly TimeSpan WriteFailureGracePeriod = TimeSpan.FromSeconds(1);

    /// <summary>Unary and client streaming: exactly one message, then the status in the trailers.</summary>
    private async Task ReadSingleResponseAsync()
    {
        TResponse? message;
        TResponse? extra = null;
        try
        {
            message = await MessageFraming.ReadMessageAsync(_responseReader!, _method.ResponseMarshaller, _readSettings, _callCts.Token).ConfigureAwait(false);
            if (message is not null)
            {
                Interlocked.Increment(ref _messagesRead);
                // Read on to the end of the stream: only then are the trailers (and the status) there.
                extra = await MessageFraming.ReadMessageAsync(_responseReader!, _method.ResponseMarshaller, _readSettings, _callCts.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            FinishAfterTransportFailure(ex, "Error reading the response message");
            return;
        }
        finally
        {
            await _responseReader!.CompleteAsync().ConfigureAwait(false);
        }

        var status = GrpcResponseStatus.FromTrailers(_response!, out var trailers);
        if (status.StatusCode == StatusCode.OK && (message is null || extra is not null))
        {
            status = new Status(StatusCode.Internal, message is null
                ? "Failed to deserialize response message: the call ended with OK but without a response message."
                : "The server sent more than one response message for a call with a single response.");
        }
        if (TryFinish(status, trailers) && status.StatusCode == StatusCode.OK)
        {
            _responseTcs!.TrySetResult(message!);
        }
    }

    /// <summary>Server streaming and duplex: the next response message, or null at the end of a successful call.</summary>
    internal async Task<TResponse?> ReadNextMessageAsync(CancellationToken cancellationToken)
    {
        // Cancelling a read cancels the call, as in grpc-dotnet: a half-read stream cannot be resumed.
        using var registration = cancellationToken.UnsafeRegister(
            static state => ((GrpcCall<TRequest, TResponse>)state!).CancelCall(GrpcProtocolConstants.Statuses.CancelledByClient), this);
        await _committedOrFinishedTcs.Task.ConfigureAwait(false);
        if (_outcome is { } ended)
        {
            return ended.Status.StatusCode == StatusCode.OK ? null : throw CreateRpcException(ended.Status);
        }

        TResponse? message;
        try
        {
            message = await MessageFraming.ReadMessageAsync(_responseReader!, _method.ResponseMarshaller, _readSettings, _callCts.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            FinishAfterTransportFailure(ex, "Error reading the next message");
            await _responseReader!.CompleteAsync().ConfigureAwait(false);
            throw CreateRpcException(_outcome!.Status);
        }
        if (message is not null)
        {
            Interlocked.Increment(ref _messagesRead);
            return message;
        }

        await _responseReader!.CompleteAsync().ConfigureAwait(false);
        var status = GrpcResponseStatus.FromTrailers(_response!, out var trailers);
        TryFinish(status, trailers);
        var final = _outcome!.Status;
        return final.StatusCode == StatusCode.OK ? null : throw CreateRpcException(final);
    }

    /// <summary>Writes one request message and flushes it, so HTTP/2 flow control paces the writer.</summary>
    internal async Task WriteMessageAsync(TRequest message, WriteOptions? writeOptions, CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.UnsafeRegister(
            static state => ((GrpcCall<TRequest, TResponse>)state!).CancelCall(GrpcProtocolConstants.Statuses.CancelledByClient), this);
        ThrowIfEnded();
        try
        {
            var writer = await _requestBody!.Writer.WaitAsync(_callCts.Token).ConfigureAwait(false);
            var compression = SkipsCompression(writeOptions ?? _options.WriteOptions) ? null : _requestCompression;
            try
            {
                MessageFraming.WriteMessage(writer, message, _method.RequestMarshaller, compression, _channel.MaxSendMessageSize);
            }
            catch (Exception ex)
            {
                // A partly written frame would corrupt the stream: the call cannot go on.
                TryFinish(ex is RpcException rpc ? rpc.Status : new Status(StatusCode.Internal, "Failed to serialize the request message.", ex));
                throw;
            }
            await writer.FlushAsync(_callCts.Token).ConfigureAwait(false);
            Interlocked.Increment(ref _messagesWritten);
        }
        catch (Exception ex)
        {
            if (_outcome is null)
            {
                // HttpClient stops the request body when the response ends or the stream is reset; the response
                // carries the reason, and the call learns it in a moment.
                await _finishedTcs.Task.WaitAsync(WriteFailureGracePeriod).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
            }
            ThrowIfEnded();
            throw new RpcException(new Status(StatusCode.Unavailable, $"Error writing the request message: {ex.GetType().Name}: {ex.Message}", ex));
        }
    }

    /// <summary>Half-closes the request stream. Every write was flushed, so ending the body is all that is left.</summary>
    internal void CompleteRequest() => _requestBody!.Complete();

    private void ThrowIfEnded()
    {
        if (_outcome?.Status is { } status)
        {
            throw status.StatusCode == StatusCode.OK
                ? new InvalidOperationException("Can't write the message because the call is complete.")
                : CreateRpcException(status);
        }
    }

    /// <summary>Ends the call after moving messages failed; when it was cancelled meanwhile, that reason stands.</summary>
    private void FinishAfterTransportFailure(Exception exception, string operation)
    {
        if (!_callCts.IsCancellationRequested)
        {
            TryFinish(GrpcResponseStatus.FromTransportException(exception, operation));
        }
    }
}
