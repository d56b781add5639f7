namespace Grpc.Core;

/// <summary>A server-streaming call in flight: read responses from <see cref="ResponseStream"/>.</summary>
public sealed class AsyncServerStreamingCall<TResponse> : IDisposable
{
    private readonly Func<Status> _getStatus;
    private readonly Func<Metadata> _getTrailers;
    private readonly Action _dispose;

    /// <summary>Creates the call object (transports and interceptors do this).</summary>
    public AsyncServerStreamingCall(IAsyncStreamReader<TResponse> responseStream, Task<Metadata> responseHeadersAsync, Func<Status> getStatus, Func<Metadata> getTrailers, Action dispose)
    {
        ResponseStream = responseStream;
        ResponseHeadersAsync = responseHeadersAsync;
        _getStatus = getStatus;
        _getTrailers = getTrailers;
        _dispose = dispose;
    }

    /// <summary>The responses; MoveNext throws <see cref="RpcException"/> when the call fails.</summary>
    public IAsyncStreamReader<TResponse> ResponseStream { get; }

    /// <summary>The response headers, once they arrive.</summary>
    public Task<Metadata> ResponseHeadersAsync { get; }

    /// <summary>The status; only once the call has finished.</summary>
    public Status GetStatus() => _getStatus();

    /// <summary>The trailers; only once the call has finished.</summary>
    public Metadata GetTrailers() => _getTrailers();

    /// <summary>Cancels the call if it is still running and frees its resources.</summary>
    public void Dispose() => _dispose();
}
