using System.Runtime.CompilerServices;

namespace Grpc.Core;

/// <summary>A unary call in flight: await it for the response; headers, status and trailers on the side.</summary>
public sealed class AsyncUnaryCall<TResponse> : IDisposable
{
    private readonly Func<Status> _getStatus;
    private readonly Func<Metadata> _getTrailers;
    private readonly Action _dispose;

    /// <summary>Creates the call object (transports and interceptors do this).</summary>
    public AsyncUnaryCall(Task<TResponse> responseAsync, Task<Metadata> responseHeadersAsync, Func<Status> getStatus, Func<Metadata> getTrailers, Action dispose)
    {
        ResponseAsync = responseAsync;
        ResponseHeadersAsync = responseHeadersAsync;
        _getStatus = getStatus;
        _getTrailers = getTrailers;
        _dispose = dispose;
    }

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
