using System.Runtime.CompilerServices;

namespace Grpc.Core;

/// <summary>A client-streaming call in flight: write requests, complete, then await the response.</summary>
public sealed class AsyncClientStreamingCall<TRequest, TResponse> : IDisposable
{
    private readonly Func<Status> _getStatus;
    private readonly Func<Metadata> _getTrailers;
    private readonly Action _dispose;

    /// <summary>Creates the call object (transports and interceptors do this).</summary>
    public AsyncClientStreamingCall(IClientStreamWriter<TRequest> requestStream, Task<TResponse> responseAsync, Task<Metadata> responseHeadersAsync, Func<Status> getStatus, Func<Metadata> getTrailers, Action dispose)
    {
        RequestStream = requestStream;
        ResponseAsync = responseAsync;
        ResponseHeadersAsync = responseHeadersAsync;
        _getStatus = getStatus;
        _getTrailers = getTrailers;
        _dispose = dispose;
    }

    /// <summary>The request stream.</summary>
    public IClientStreamWriter<TRequest> RequestStream { get; }

    /// <summary>The response; faults with <see cref="RpcException"/> when the call fails.</summary>
    public Task<TResponse> ResponseAsync { get; }

    /// <summary>The response headers, once they arrive.</summary>
    public Task<Metadata> ResponseHeadersAsync { get; }

    /// <summary>Awaits the response.</summary>
    public TaskAwaiter<TResponse> GetAwaiter() => ResponseAsync.GetAwaiter();

    /// <summary>The status; only once the call has finished.</summary>
    public Status GetStatus() => _getStatus();

    /// <summary>The trailers; only once the call has finished.</summary>
    public Metadata GetTrailers() => _getTrailers();

    /// <summary>Cancels the call if it is still running and frees its resources.</summary>
    public void Dispose() => _dispose();
}
