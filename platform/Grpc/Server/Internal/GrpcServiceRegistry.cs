using System.Collections.Concurrent;
using System.Reflection;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grpc.AspNetCore.Server.Internal;

/// <summary>
/// The services this server maps: binds each through its generated <c>BindService</c>, answers UNIMPLEMENTED for
/// unknown methods and services, and remembers service names and descriptors (health and reflection read them).
/// </summary>
internal sealed class GrpcServiceRegistry
{
    private const int FallbackRouteOrder = int.MaxValue - 1;
    private readonly ConcurrentDictionary<string, ServiceDescriptor?> _services = new();
    private readonly IServiceProvider _serviceProvider;
    private readonly GrpcServiceOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private IReadOnlyList<Interceptor>? _interceptors;
    private bool _unknownServiceMapped;

    public GrpcServiceRegistry(IServiceProvider serviceProvider, IOptions<GrpcServiceOptions> options, ILoggerFactory loggerFactory)
    {
        _serviceProvider = serviceProvider;
        _options = options.Value;
        _loggerFactory = loggerFactory;
    }

    /// <summary>Full names of the mapped services with their descriptors (null when the binding type has none).</summary>
    public IReadOnlyDictionary<string, ServiceDescriptor?> Services => _services;

    public IEndpointConventionBuilder Map<TService>(IEndpointRouteBuilder endpoints) where TService : class
    {
        var bindAttribute = typeof(TService).GetCustomAttribute<BindServiceMethodAttribute>(inherit: true)
            ?? throw new InvalidOperationException(
                $"{typeof(TService).Name} cannot be mapped: it must derive from a generated gRPC service base class (one with [BindServiceMethod]).");
        var bindMethod = bindAttribute.BindType.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .SingleOrDefault(m => m.Name == bindAttribute.BindMethodName && m.IsGenericMethodDefinition)
            ?? throw new InvalidOperationException($"{bindAttribute.BindType.Name}.{bindAttribute.BindMethodName}<TService> was not found.");

        var settings = new ServerMethodSettings(_options);
        var logger = _loggerFactory.CreateLogger(typeof(TService));
        var binder = new ServerMethodBinder<TService>(endpoints, _interceptors ??= CreateInterceptors(), settings, logger);
        bindMethod.MakeGenericMethod(typeof(TService)).Invoke(null, [binder]);

        foreach (var serviceName in binder.Methods.Select(m => m.ServiceName).Distinct())
        {
            var descriptor = bindAttribute.BindType.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as ServiceDescriptor;
            if (!_services.TryAdd(serviceName, descriptor))
            {
                throw new InvalidOperationException($"Service {serviceName} is mapped twice.");
            }
            var unknownMethod = GrpcProtocolConstants.Statuses.UnimplementedMethod;
            var fallback = endpoints.MapPost($"/{serviceName}/{{unimplementedMethod}}", ctx => UnimplementedAsync(ctx, unknownMethod))
                .WithDisplayName($"gRPC - unimplemented method of {serviceName}");
            fallback.Add(b => ((RouteEndpointBuilder)b).Order = FallbackRouteOrder);
            binder.EndpointBuilders.Add(fallback);
        }
        MapUnknownServiceOnce(endpoints);
        return new CompositeEndpointConventionBuilder(binder.EndpointBuilders);
    }

    private void MapUnknownServiceOnce(IEndpointRouteBuilder endpoints)
    {
        if (_unknownServiceMapped)
        {
            return;
        }
        _unknownServiceMapped = true;
        var unknownService = GrpcProtocolConstants.Statuses.UnimplementedService;
        endpoints.MapPost("/{unimplementedService}/{unimplementedMethod}", ctx => UnimplementedAsync(ctx, unknownService))
            .WithDisplayName("gRPC - unimplemented service")
            .Add(b => ((RouteEndpointBuilder)b).Order = FallbackRouteOrder + 1);
    }

    private static Task UnimplementedAsync(HttpContext httpContext, Status status)
    {
        var response = httpContext.Response;
        if (!GrpcProtocolConstants.IsGrpcContentType(httpContext.Request.ContentType))
        {
            // Not a gRPC request: an ordinary 404 for ordinary HTTP clients.
            response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }
        // Trailers-Only: the status travels in the only HEADERS frame.
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = GrpcProtocolConstants.GrpcContentType;
        response.Headers[GrpcProtocolConstants.StatusTrailer] = ((int)status.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers[GrpcProtocolConstants.MessageTrailer] = PercentEncoding.Encode(status.Detail);
        return Task.CompletedTask;
    }

    private IReadOnlyList<Interceptor> CreateInterceptors() => _options.Interceptors
        .Select(r => r.Instance ?? (Interceptor)ActivatorUtilities.CreateInstance(_serviceProvider, r.Type, r.Arguments))
        .ToArray();
}
