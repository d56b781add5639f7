namespace Grpc.Core;

/// <summary>Starts calls: the seam between generated clients and a transport (or an interceptor chain).</summary>
public abstract class CallInvoker
{
    /// <summary>Makes a unary call and blocks until it completes.</summary>
    public abstract TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
        where TRequest : class where TResponse : class;

    /// <summary>Starts a unary call.</summary>
    public abstract AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
        where TRequest : class where TResponse : class;

    /// <summary>Starts a server-streaming call.</summary>
    public abstract AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
        where TRequest : class where TResponse : class;

    /// <summary>Starts a client-streaming call.</summary>
    public abstract AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
        where TRequest : class where TResponse : class;

    /// <summary>Starts a duplex-streaming call.</summary>
    public abstract AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
        where TRequest : class where TResponse : class;
}
