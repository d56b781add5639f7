using AspireProber.ProberService;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the prober's services and options.</summary>
public static class ProberServiceExtensions
{
    /// <summary>Binds <c>Prober</c> (validated at startup) and registers what <see cref="ProberServiceImpl"/> needs.</summary>
    public static IServiceCollection AddProber(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        services.AddOptions<ProberOptions>().Bind(configuration.GetSection(ProberOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProberOptions>, ProberOptionsValidator>();
        services.AddMetrics();
        services.AddSingleton<ApiKeyCheck>();
        services.AddSingleton<ProbeRequestValidator>();
        services.AddSingleton<TargetGuard>();
        services.AddSingleton<ProbeHandlerFactory>();
        services.AddSingleton<ProbeConcurrencyLimiter>();
        services.AddSingleton<ProberMetrics>();
        services.AddSingleton<ReplicaIdentity>();
        services.AddSingleton<ProbeExecutor>();
        // ServiceDefaults is to add the gRPC server too; until it does, this registers it. Calling it twice only
        // re-registers the same singletons and options, so it stays harmless afterwards.
        services.AddGrpcServer();
        return services;
    }
}
