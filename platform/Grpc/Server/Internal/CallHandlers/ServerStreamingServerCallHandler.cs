using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace Grpc.AspNetCore.Server.Internal;

/// <summary>One request message in, a stream of response messages out.</summary>
internal sealed class ServerStreamingServerCallHandler<TService, TRequest, TResponse> : ServerCallHandlerBase<TService, TRequest, TResponse>
    where TService : class where TRequest : class where TResponse : class
{
    private readonly ServerStreamingServerMethod<TRequest, TResponse> _pipeline;

    public ServerStreamingServerCallHandler(Method<TRequest, TResponse> method, ServerStreamingServiceMethod<TService, TRequest, TResponse> invoker,
        IReadOnlyList<Interceptor> interceptors, ServerMethodSettings settings, ILogger logger)
        : base(method, settings, logger)
    {
        ServerStreamingServerMethod<TRequest, TResponse> pipeline = async (request, responseStream, context) =>
        {
            var (service, created) = Activator.Create(context.GetHttpContext().RequestServices);
            try
            {
                await invoker(service, request, responseStream, context).ConfigureAwait(false);
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
            pipeline = (request, responseStream, context) => interceptor.ServerStreamingServerHandler(request, responseStream, context, next);
        }
        _pipeline = pipeline;
    }

    protected override async Task HandleCallCoreAsync(HttpContextServerCallContext call)
    {
        var request = await ReadSingleMessageAsync(call).ConfigureAwait(false);
        await _pipeline(request, new HttpContextStreamWriter<TResponse>(call, Method.ResponseMarshaller), call).ConfigureAwait(false);
    }
}
