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
        ServiceActivator<TService> activator, IReadOnlyList<Interceptor> interceptors, ServerMethodSettings settings, ILogger logger)
        : base(method, activator, settings, logger)
    {
        ServerStreamingServerMethod<TRequest, TResponse> pipeline = (request, responseStream, context) =>
        {
            var service = Activator.Create(context.GetHttpContext(), out var release);
            return release ? InvokeAndReleaseAsync(service, request, responseStream, context) : invoker(service, request, responseStream, context);
        };
        async Task InvokeAndReleaseAsync(TService service, TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context)
        {
            try
            {
                await invoker(service, request, responseStream, context).ConfigureAwait(false);
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
