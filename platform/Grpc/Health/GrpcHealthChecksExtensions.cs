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

    /// <summary>
    /// Maps grpc.health.v1.Health. The checks are published once as soon as the app has started (ASP.NET Core's
    /// periodic publisher runs only when at least one check is registered), then periodically; on shutdown every
    /// service turns NOT_SERVING and Watch streams end.
    /// </summary>
    public static IEndpointConventionBuilder MapGrpcHealthChecksService(this IEndpointRouteBuilder endpoints)
    {
        var services = endpoints.ServiceProvider;
        var health = services.GetRequiredService<HealthServiceImpl>();
        var lifetime = services.GetRequiredService<IHostApplicationLifetime>();
        lifetime.ApplicationStarted.Register(() => _ = PublishNowAsync(services, lifetime.ApplicationStopping));
        lifetime.ApplicationStopping.Register(health.Shutdown);
        return endpoints.MapGrpcService<HealthServiceImpl>();
    }

    private static async Task PublishNowAsync(IServiceProvider services, CancellationToken stopping)
    {
        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(stopping).ConfigureAwait(false);
        foreach (var publisher in services.GetServices<IHealthCheckPublisher>().OfType<GrpcHealthChecksPublisher>())
        {
            await publisher.PublishAsync(report, stopping).ConfigureAwait(false);
        }
    }
}
