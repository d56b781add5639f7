using Grpc.AspNetCore.Server.Internal;
using Grpc.Reflection;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Serves gRPC server reflection.</summary>
public static class GrpcReflectionExtensions
{
    /// <summary>Registers server reflection (map it with <see cref="MapGrpcReflectionService"/>).</summary>
    public static IServiceCollection AddGrpcReflection(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => new ReflectionServiceImpl(sp.GetRequiredService<GrpcServiceRegistry>()));
        services.TryAddSingleton(sp => new ReflectionServiceV1AlphaImpl(sp.GetRequiredService<GrpcServiceRegistry>()));
        return services;
    }

    /// <summary>Maps grpc.reflection.v1 and grpc.reflection.v1alpha; they describe every service mapped on this server.</summary>
    public static IEndpointConventionBuilder MapGrpcReflectionService(this IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapGrpcService<ReflectionServiceImpl>();
        var v1Alpha = endpoints.MapGrpcService<ReflectionServiceV1AlphaImpl>();
        return new CompositeEndpointConventionBuilder([v1, v1Alpha]);
    }

}
