using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace Grpc.AspNetCore.Server.Internal;

/// <summary>One request message in, one response message out.</summary>
internal sealed class UnaryServerCallHandler<TService, TRequest, TResponse> : ServerCallHandlerBase<TService, TRequest, TResponse>
    where TService : class where TRequest : class where TResponse : class
{
    private readonly UnaryServerMethod<TRequest, TResponse> _pipeline;

    public UnaryServerCallHandler(Method<TRequest, TResponse> method, UnaryServiceMethod<TService, TRequest, TResponse> invoker,
        ServiceActivator<TService> activator, IReadOnlyList<Interceptor> interceptors, ServerMethodSettings settings, ILogger logger)
        : base(method, activator, settings, logger)
    {
        UnaryServerMethod<TRequest, TResponse> pipeline = (request, context) =>
        {
            var service = Activator.Create(context.GetHttpContext(), out var release);
            return release ? InvokeAndReleaseAsync(service, request, context) : invoker(service, request, context);
        };
        async Task<TResponse> InvokeAndReleaseAsync(TService service, TRequest request, ServerCallContext context)
        {
            try
            {
                return await invoker(service, request, context).ConfigureAwait(false);
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
            pipeline = (request, context) => interceptor.UnaryServerHandler(request, context, next);
        }
        _pipeline = pipeline;
    }

    protected override async Task HandleCallCoreAsync(HttpContextServerCallContext call)
    {
        var request = await ReadSingleMessageAsync(call).ConfigureAwait(false);
        var response = await _pipeline(request, call).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.Internal, "The handler returned no response message."));
        // Not flushed here: the message and the trailers leave together when the call ends.
        await call.WriteMessageAsync(response, Method.ResponseMarshaller, flush: false, call.CancellationToken).ConfigureAwait(false);
    }
}
