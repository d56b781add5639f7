using Grpc.Core;

namespace Grpc.Net.Client.Internal;

/// <summary>The request stream of a client-streaming or duplex call: one write at a time, then one half-close.</summary>
internal sealed class HttpContentClientStreamWriter<TRequest, TResponse> : IClientStreamWriter<TRequest>
    where TRequest : class where TResponse : class
{
    private readonly GrpcCall<TRequest, TResponse> _call;
    private readonly object _lock = new();
    private Task _lastWrite = Task.CompletedTask;
    private bool _completed;

    public HttpContentClientStreamWriter(GrpcCall<TRequest, TResponse> call) => _call = call;

    public WriteOptions? WriteOptions { get; set; }

    public Task WriteAsync(TRequest message) => WriteAsync(message, CancellationToken.None);

    public Task WriteAsync(TRequest message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_lock)
        {
            if (_completed)
            {
                return Task.FromException(new InvalidOperationException("Can't write the message because the request stream is complete."));
            }
            if (!_lastWrite.IsCompleted)
            {
                return Task.FromException(new InvalidOperationException("Can't write the message because the previous write is in progress. Await each WriteAsync before the next one."));
            }
            return _lastWrite = _call.WriteMessageAsync(message, WriteOptions, cancellationToken);
        }
    }

    public Task CompleteAsync()
    {
        lock (_lock)
        {
            if (!_lastWrite.IsCompleted)
            {
                return Task.FromException(new InvalidOperationException("Can't complete the request stream because the previous write is in progress."));
            }
            if (!_completed)
            {
                _completed = true;
                _call.CompleteRequest();
            }
            return Task.CompletedTask;
        }
    }
}
