using Grpc.Core;

namespace Grpc.Net.Client.Internal;

/// <summary>The response stream of a server-streaming or duplex call: one read at a time.</summary>
internal sealed class HttpContentClientStreamReader<TRequest, TResponse> : IAsyncStreamReader<TResponse>
    where TRequest : class where TResponse : class
{
    private readonly GrpcCall<TRequest, TResponse> _call;
    private readonly object _lock = new();
    private Task<bool> _lastRead = Task.FromResult(true);
    private TResponse? _current;

    public HttpContentClientStreamReader(GrpcCall<TRequest, TResponse> call) => _call = call;

    public TResponse Current => _current ?? throw new InvalidOperationException("No message has been read: call MoveNext first.");

    public Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_lastRead.IsCompleted)
            {
                return Task.FromException<bool>(new InvalidOperationException("Can't read the next message because the previous read is still in progress."));
            }
            return _lastRead = MoveNextCore(cancellationToken);
        }
    }

    private async Task<bool> MoveNextCore(CancellationToken cancellationToken)
    {
        var message = await _call.ReadNextMessageAsync(cancellationToken).ConfigureAwait(false);
        if (message is null)
        {
            return false;
        }
        _current = message;
        return true;
    }
}
