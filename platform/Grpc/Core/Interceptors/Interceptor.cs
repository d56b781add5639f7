namespace Grpc.Core.Interceptors;

/// <summary>
/// Intercepts calls on the client (the <c>*Call</c> methods) and on the server (the <c>*Handler</c> methods).
/// Each default passes straight to the continuation; override the ones you need.
/// </summary>
public abstract class Interceptor
{
    /// <summary>Intercepts a blocking unary call.</summary>
    public virtual TResponse BlockingUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation)
        where TRequest : class where TResponse : class => continuation(request, context);

    /// <summary>Intercepts a unary call.</summary>
    public virtual AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
        where TRequest : class where TResponse : class => continuation(request, context);

    /// <summary>Intercepts a server-streaming call.</summary>
    public virtual AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation)
        where TRequest : class where TResponse : class => continuation(request, context);

    /// <summary>Intercepts a client-streaming call.</summary>
    public virtual AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context, AsyncClientStreamingCallContinuation<TRequest, TResponse> continuation)
        where TRequest : class where TResponse : class => continuation(context);

    /// <summary>Intercepts a duplex-streaming call.</summary>
    public virtual AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context, AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation)
        where TRequest : class where TResponse : class => continuation(context);

    /// <summary>Intercepts a unary call on the server.</summary>
    public virtual Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        where TRequest : class where TResponse : class => continuation(request, context);

    /// <summary>Intercepts a client-streaming call on the server.</summary>
    public virtual Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
        where TRequest : class where TResponse : class => continuation(requestStream, context);

    /// <summary>Intercepts a server-streaming call on the server.</summary>
    public virtual Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
        where TRequest : class where TResponse : class => continuation(request, responseStream, context);

    /// <summary>Intercepts a duplex-streaming call on the server.</summary>
    public virtual Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
        where TRequest : class where TResponse : class => continuation(requestStream, responseStream, context);
}
