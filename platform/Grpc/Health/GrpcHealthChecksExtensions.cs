using Grpc.HealthCheck;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Serves grpc.health.v1.Health from the app's ASP.NET Core health checks.</summary>
public static class GrpcHealthChecksExtensions
{
    /// <summary>
    /// Registers the health service and publishes the health checks to it every <paramref name="period"/>
    /// (default 5 s, first run at start); add checks to the returned builder as usual.
    /// </summary>
    public static IHealthChecksBuilder AddGrpcHealthChecks(this IServiceCollection services, TimeSpan? period = null)
    {
        services.TryAddSingleton<HealthServiceImpl>();
        services.AddSingleton<IHealthCheckPublisher, GrpcHealthChecksPublisher>();
        services.Configure<HealthCheckPublisherOptions>(options =>
        {
            options.Delay = TimeSpan.Zero;
            options.Period = period ?? TimeSpan.FromSeconds(5);
        });
        return services.AddHealthChecks();
    }

    /// <summary>Maps grpc.health.v1.Health; on shutdown every service turns NOT_SERVING and Watch streams end.</summary>
    public static IEndpointConventionBuilder MapGrpcHealthChecksService(this IEndpointRouteBuilder endpoints)
    {
        var health = endpoints.ServiceProvider.GetRequiredService<HealthServiceImpl>();
        endpoints.ServiceProvider.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(health.Shutdown);
        return endpoints.MapGrpcService<HealthServiceImpl>();
    }
}
