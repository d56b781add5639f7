namespace Grpc.Core.Interceptors;

/// <summary>A call invoker that passes every call through one interceptor before the inner invoker.</summary>
internal sealed class InterceptingCallInvoker : CallInvoker
{
    private readonly CallInvoker _inner;
    private readonly Interceptor _interceptor;

    public InterceptingCallInvoker(CallInvoker inner, Interceptor interceptor)
    {
        _inner = inner;
        _interceptor = interceptor;
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        _interceptor.BlockingUnaryCall(request, new ClientInterceptorContext<TRequest, TResponse>(method, host, options),
            (req, ctx) => _inner.BlockingUnaryCall(ctx.Method, ctx.Host, ctx.Options, req));

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        _interceptor.AsyncUnaryCall(request, new ClientInterceptorContext<TRequest, TResponse>(method, host, options),
            (req, ctx) => _inner.AsyncUnaryCall(ctx.Method, ctx.Host, ctx.Options, req));

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        _interceptor.AsyncServerStreamingCall(request, new ClientInterceptorContext<TRequest, TResponse>(method, host, options),
            (req, ctx) => _inner.AsyncServerStreamingCall(ctx.Method, ctx.Host, ctx.Options, req));

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        _interceptor.AsyncClientStreamingCall(new ClientInterceptorContext<TRequest, TResponse>(method, host, options),
            ctx => _inner.AsyncClientStreamingCall(ctx.Method, ctx.Host, ctx.Options));

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        _interceptor.AsyncDuplexStreamingCall(new ClientInterceptorContext<TRequest, TResponse>(method, host, options),
            ctx => _inner.AsyncDuplexStreamingCall(ctx.Method, ctx.Host, ctx.Options));
}

/// <summary>Wraps call invokers in interceptors.</summary>
public static class CallInvokerExtensions
{
    /// <summary>An invoker whose calls pass through the interceptors, the first one outermost.</summary>
    public static CallInvoker Intercept(this CallInvoker invoker, params Interceptor[] interceptors)
    {
        ArgumentNullException.ThrowIfNull(invoker);
        for (var i = interceptors.Length - 1; i >= 0; i--)
        {
            invoker = new InterceptingCallInvoker(invoker, interceptors[i]);
        }
        return invoker;
    }
}
