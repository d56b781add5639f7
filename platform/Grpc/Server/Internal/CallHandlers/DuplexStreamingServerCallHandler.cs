using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace Grpc.AspNetCore.Server.Internal;

/// <summary>Streams of request and response messages at once.</summary>
internal sealed class DuplexStreamingServerCallHandler<TService, TRequest, TResponse> : ServerCallHandlerBase<TService, TRequest, TResponse>
    where TService : class where TRequest : class where TResponse : class
{
    private readonly DuplexStreamingServerMethod<TRequest, TResponse> _pipeline;

    public DuplexStreamingServerCallHandler(Method<TRequest, TResponse> method, DuplexStreamingServiceMethod<TService, TRequest, TResponse> invoker,
        ServiceActivator<TService> activator, IReadOnlyList<Interceptor> interceptors, ServerMethodSettings settings, ILogger logger)
        : base(method, activator, settings, logger)
    {
        DuplexStreamingServerMethod<TRequest, TResponse> pipeline = (requestStream, responseStream, context) =>
        {
            var service = Activator.Create(context.GetHttpContext(), out var release);
            return release ? InvokeAndReleaseAsync(service, requestStream, responseStream, context) : invoker(service, requestStream, responseStream, context);
        };
        async Task InvokeAndReleaseAsync(TService service, IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context)
        {
            try
            {
                await invoker(service, requestStream, responseStream, context).ConfigureAwait(false);
            }
            finally
            {
                await ServiceActivator<TService>.DisposeAsync(service).ConfigureAwait(false);
            }
        }
        for (var i = interceptors.Count - 1; i >= 0; i--)
        {
            var next = pipeline;
            var interceptor = interceptors[i];
            pipeline = (requestStream, responseStream, context) => interceptor.DuplexStreamingServerHandler(requestStream, responseStream, context, next);
        }
        _pipeline = pipeline;
    }

    protected override Task HandleCallCoreAsync(HttpContextServerCallContext call) =>
        _pipeline(new HttpContextStreamReader<TRequest>(call, Method.RequestMarshaller),
            new HttpContextStreamWriter<TResponse>(call, Method.ResponseMarshaller), call);
}
