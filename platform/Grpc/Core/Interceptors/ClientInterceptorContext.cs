namespace Grpc.Core.Interceptors;

/// <summary>What a client interceptor knows of the call it intercepts; it may pass on changed options.</summary>
public readonly struct ClientInterceptorContext<TRequest, TResponse> where TRequest : class where TResponse : class
{
    /// <summary>Creates the context.</summary>
    public ClientInterceptorContext(Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        Method = method;
        Host = host;
        Options = options;
    }

    /// <summary>The method being called.</summary>
    public Method<TRequest, TResponse> Method { get; }

    /// <summary>The host override, if any.</summary>
    public string? Host { get; }

    /// <summary>The call options.</summary>
    public CallOptions Options { get; }
}

/// <summary>The rest of the chain for a blocking unary call.</summary>
public delegate TResponse BlockingUnaryCallContinuation<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context)
    where TRequest : class where TResponse : class;

/// <summary>The rest of the chain for a unary call.</summary>
public delegate AsyncUnaryCall<TResponse> AsyncUnaryCallContinuation<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context)
    where TRequest : class where TResponse : class;

/// <summary>The rest of the chain for a server-streaming call.</summary>
public delegate AsyncServerStreamingCall<TResponse> AsyncServerStreamingCallContinuation<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context)
    where TRequest : class where TResponse : class;

/// <summary>The rest of the chain for a client-streaming call.</summary>
public delegate AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCallContinuation<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context)
    where TRequest : class where TResponse : class;

/// <summary>The rest of the chain for a duplex-streaming call.</summary>
public delegate AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCallContinuation<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context)
    where TRequest : class where TResponse : class;
