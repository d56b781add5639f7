using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace Grpc.AspNetCore.Server.Internal;

/// <summary>A stream of request messages in, one response message out.</summary>
internal sealed class ClientStreamingServerCallHandler<TService, TRequest, TResponse> : ServerCallHandlerBase<TService, TRequest, TResponse>
    where TService : class where TRequest : class where TResponse : class
{
    private readonly ClientStreamingServerMethod<TRequest, TResponse> _pipeline;

    public ClientStreamingServerCallHandler(Method<TRequest, TResponse> method, ClientStreamingServiceMethod<TService, TRequest, TResponse> invoker,
        ServiceActivator<TService> activator, IReadOnlyList<Interceptor> interceptors, ServerMethodSettings settings, ILogger logger)
        : base(method, activator, settings, logger)
    {
        ClientStreamingServerMethod<TRequest, TResponse> pipeline = (requestStream, context) =>
        {
            var service = Activator.Create(context.GetHttpContext(), out var release);
            return release ? InvokeAndReleaseAsync(service, requestStream, context) : invoker(service, requestStream, context);
        };
        async Task<TResponse> InvokeAndReleaseAsync(TService service, IAsyncStreamReader<TRequest> requestStream, ServerCallContext context)
        {
            try
            {
                return await invoker(service, requestStream, context).ConfigureAwait(false);
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
            pipeline = (requestStream, context) => interceptor.ClientStreamingServerHandler(requestStream, context, next);
        }
        _pipeline = pipeline;
    }

    protected override async Task HandleCallCoreAsync(HttpContextServerCallContext call)
    {
        var response = await _pipeline(new HttpContextStreamReader<TRequest>(call, Method.RequestMarshaller), call).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.Internal, "The handler returned no response message."));
        await call.WriteMessageAsync(response, Method.ResponseMarshaller, flush: false, call.CancellationToken).ConfigureAwait(false);
    }
}
