using AspireProber.ProberService;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the prober's services and options.</summary>
public static class ProberServiceExtensions
{
    // The meters of System.Net.Http and System.Net.NameResolution.
    private const string ProbeHttpMeter = "System.Net.Http";
    private const string ProbeDnsMeter = "System.Net.NameResolution";

    /// <summary>
    /// Binds <c>Prober</c> (validated at startup) and registers what <see cref="ProberServiceImpl"/> needs; the gRPC
    /// server itself comes from AddServiceDefaults, the prober's interceptors from here.
    /// </summary>
    public static IServiceCollection AddProber(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        services.AddOptions<ProberOptions>().Bind(configuration.GetSection(ProberOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProberOptions>, ProberOptionsValidator>();
        services.AddMetrics();
        services.AddSingleton<ProbeRequestValidator>();
        services.AddSingleton<TargetGuard>();
        services.AddSingleton<ProbeHandlerFactory>();
        // Singletons, so every call shares one key hash and one limiter (grpc-dotnet resolves a registered interceptor
        // from the container). Only on prober.v1.Prober: grpc.health.v1 and reflection need no key and no slot.
        services.AddSingleton<ApiKeyInterceptor>();
        services.AddSingleton<ProbeConcurrencyInterceptor>();
        services.AddGrpc().AddServiceOptions<ProberServiceImpl>(grpc =>
        {
            grpc.Interceptors.Add<ApiKeyInterceptor>();
            grpc.Interceptors.Add<ProbeConcurrencyInterceptor>();
        });
        services.AddSingleton<ProberMetrics>();
        services.AddSingleton<ReplicaIdentity>();
        services.AddSingleton<ProbeExecutor>();
        // The service subscribes its own source and meter, so its telemetry is exported whatever names ServiceDefaults picks.
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(ProbeExecutor.ActivitySourceName));
        services.ConfigureOpenTelemetryMeterProvider(metering => metering
            .AddMeter(ProberMetrics.MeterName)
            // This replica's HTTP requests are its probes, which prober.attempt.duration measures under a bounded
            // endpoint label. .NET's own HTTP client and DNS metrics would measure them again, labelled with every host
            // a caller names (server.address, dns.question.name): series without bound, so they are not exported here.
            .AddView(instrument => instrument.Meter.Name is ProbeHttpMeter or ProbeDnsMeter ? MetricStreamConfiguration.Drop : null));
        return services;
    }
}
