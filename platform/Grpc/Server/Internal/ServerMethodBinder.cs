using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Grpc.AspNetCore.Server.Internal;

/// <summary>Maps each method a generated <c>BindService</c> adds to a <c>POST /{service}/{method}</c> endpoint.</summary>
internal sealed class ServerMethodBinder<TService> : ServiceBinder<TService> where TService : class
{
    private readonly IEndpointRouteBuilder _endpoints;
    private readonly ServiceActivator<TService> _activator;
    private readonly IReadOnlyList<Interceptor> _interceptors;
    private readonly ServerMethodSettings _settings;
    private readonly ILogger _logger;

    public ServerMethodBinder(IEndpointRouteBuilder endpoints, IReadOnlyList<Interceptor> interceptors, ServerMethodSettings settings, ILogger logger)
    {
        _endpoints = endpoints;
        _activator = new ServiceActivator<TService>(endpoints.ServiceProvider);
        _interceptors = interceptors;
        _settings = settings;
        _logger = logger;
    }

    /// <summary>The endpoints mapped so far, so conventions can be applied to all of them.</summary>
    public List<IEndpointConventionBuilder> EndpointBuilders { get; } = new();

    /// <summary>The methods mapped so far.</summary>
    public List<IMethod> Methods { get; } = new();

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServiceMethod<TService, TRequest, TResponse> invoker) =>
        Map(method, new UnaryServerCallHandler<TService, TRequest, TResponse>(method, invoker, _activator, _interceptors, _settings, _logger).HandleCallAsync);

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServiceMethod<TService, TRequest, TResponse> invoker) =>
        Map(method, new ClientStreamingServerCallHandler<TService, TRequest, TResponse>(method, invoker, _activator, _interceptors, _settings, _logger).HandleCallAsync);

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServiceMethod<TService, TRequest, TResponse> invoker) =>
        Map(method, new ServerStreamingServerCallHandler<TService, TRequest, TResponse>(method, invoker, _activator, _interceptors, _settings, _logger).HandleCallAsync);

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServiceMethod<TService, TRequest, TResponse> invoker) =>
        Map(method, new DuplexStreamingServerCallHandler<TService, TRequest, TResponse>(method, invoker, _activator, _interceptors, _settings, _logger).HandleCallAsync);

    private void Map(IMethod method, RequestDelegate handler)
    {
        var builder = _endpoints.MapPost(method.FullName, handler)
            .WithDisplayName($"gRPC - {method.FullName}")
            .WithMetadata(new GrpcMethodMetadata(typeof(TService), method));
        EndpointBuilders.Add(builder);
        Methods.Add(method);
    }
}

/// <summary>Endpoint metadata naming the gRPC method and service type an endpoint serves.</summary>
public sealed record GrpcMethodMetadata(Type ServiceType, IMethod Method);
