using Grpc.AspNetCore.Server;
using Grpc.AspNetCore.Server.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the gRPC server.</summary>
public static class GrpcServerServiceCollectionExtensions
{
    /// <summary>Adds the gRPC server's services; map services with <c>app.MapGrpcService&lt;T&gt;()</c>.</summary>
    public static IServiceCollection AddGrpcServer(this IServiceCollection services, Action<GrpcServiceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddRouting();
        services.AddOptions<GrpcServiceOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }
        services.AddSingleton<GrpcServiceRegistry>();
        return services;
    }
}
