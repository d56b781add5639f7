using AspireProber.ServiceDefaults.Prometheus;
using Grpc.Net.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Microsoft.Extensions.Hosting;

/// <summary>The defaults every AspireProber service starts with (Aspire's ServiceDefaults shape).</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>The tag of health checks that say the process is alive (the only ones /alive runs).</summary>
    public const string LiveTag = "live";

    /// <summary>Adds telemetry, health checks, Kestrel endpoints from configuration and the gRPC server.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        KestrelEndpoints.Configure(builder);
        builder.ConfigureOpenTelemetry();

        // The same checks answer /health and grpc.health.v1 ("self" keeps /alive meaningful when a service adds none).
        builder.Services.AddGrpcHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);

        // Services only MapGrpcService<T>(); reflection lets grpcurl-style tools list and call them.
        builder.Services.AddGrpcServer();
        builder.Services.AddGrpcReflection();
        return builder;
    }

    /// <summary>
    /// Traces, metrics and logs through OpenTelemetry: the app's own source and meter (<see cref="AppTelemetry"/>),
    /// ASP.NET Core, HttpClient, the runtime and gRPC; /metrics always, OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
    /// </summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var appName = builder.Environment.ApplicationName;
        builder.Services.AddSingleton<AppTelemetry>();
        builder.Services.AddSingleton<PrometheusScraper>();
        builder.Services.AddSingleton<IStartupFilter, HttpServerSpans>(); // names request spans, drops scrape spans

        var telemetry = builder.Services.AddOpenTelemetry();
        if (!HasConfiguredServiceName(builder))
        {
            // Run alone, a service is still named after itself rather than "unknown_service".
            telemetry.ConfigureResource(resource => resource.AddService(appName, autoGenerateServiceInstanceId: false));
        }
        telemetry
            .WithTracing(tracing => tracing.AddSource(
                "AspireProber.*", appName, "Microsoft.AspNetCore", "System.Net.Http", GrpcDiagnostics.ServerName, GrpcDiagnostics.ClientName))
            .WithMetrics(metrics => metrics
                .AddMeter(
                    "AspireProber.*", appName,
                    "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "System.Runtime",
                    GrpcDiagnostics.ServerName, GrpcDiagnostics.ClientName)
                .AddReader(services => services.GetRequiredService<PrometheusScraper>().Reader))
            .WithLogging(configureBuilder: null, configureOptions: logging =>
            {
                logging.IncludeFormattedMessage = true;
                logging.IncludeScopes = true;
            });

        // The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT/_PROTOCOL, and the SDK OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES,
        // OTEL_METRIC_EXPORT_INTERVAL and the BSP/BLRP delays, from configuration: nothing here overrides them.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }
        return builder;
    }

    /// <summary>Maps /metrics, /health and /alive on the http endpoint, and grpc.health.v1 and reflection for the gRPC endpoint.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // A demo meant to be looked at: health and metrics are mapped in every environment, but only on the
        // http endpoint, so the gRPC port exposes nothing but gRPC.
        var endpoints = app.Services.GetRequiredService<KestrelEndpoints>();
        endpoints.RestrictToHttpEndpoint(app.MapPrometheusScrapingEndpoint("/metrics"));
        endpoints.RestrictToHttpEndpoint(app.MapHealthChecks("/health"));
        endpoints.RestrictToHttpEndpoint(app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) }));

        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }

    private static bool HasConfiguredServiceName(IHostApplicationBuilder builder) =>
        !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_SERVICE_NAME"])
        || builder.Configuration["OTEL_RESOURCE_ATTRIBUTES"]?.Contains("service.name=", StringComparison.Ordinal) == true;
}
