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
        IReadOnlyList<Interceptor> interceptors, ServerMethodSettings settings, ILogger logger)
        : base(method, settings, logger)
    {
        DuplexStreamingServerMethod<TRequest, TResponse> pipeline = async (requestStream, responseStream, context) =>
        {
            var (service, created) = Activator.Create(context.GetHttpContext().RequestServices);
            try
            {
                await invoker(service, requestStream, responseStream, context).ConfigureAwait(false);
            }
            finally
            {
                await ServiceActivator<TService>.ReleaseAsync(service, created).ConfigureAwait(false);
            }
        };
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
