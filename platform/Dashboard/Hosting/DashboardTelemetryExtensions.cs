using AspireProber.Dashboard.Otlp;
using AspireProber.Dashboard.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AspireProber.Dashboard.Hosting;

/// <summary>The telemetry half of the dashboard: endpoints, OTLP receivers (gRPC and HTTP), the store and its export/import API.</summary>
public static class DashboardTelemetryExtensions
{
    /// <summary>
    /// Binds <see cref="DashboardOptions"/> to the <c>Dashboard</c> section, listens on the three endpoints of the configuration
    /// contract, and registers the <see cref="TelemetryStore"/> singleton, the OTLP receivers and the <c>Frontend</c> policy.
    /// </summary>
    public static WebApplicationBuilder AddDashboardTelemetry(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DashboardOptions>()
            .Bind(builder.Configuration.GetSection(DashboardOptions.SectionName))
            // "--import <file>" on the command line is the short form of Dashboard:ImportFile.
            .PostConfigure(options => options.ImportFile ??= builder.Configuration["import"]);
        services.AddSingleton(DashboardEndpoints.Configure(builder.Configuration, builder.WebHost));
        services.AddHostedService<EndpointsLog>();
        services.AddSingleton<EndpointIsolation>();
        services.AddSingleton<OtlpApiKeyCheck>();
        services.AddSingleton<TelemetryStore>();
        services.AddSingleton<OtlpReceiver>();
        services.AddHostedService<TelemetryImportAtStartup>();
        services.AddGrpcServer();
        return builder;
    }

    /// <summary>
    /// Adds the endpoint isolation and OTLP API key checks to the pipeline and maps OTLP/gRPC, OTLP/HTTP and
    /// <c>/api/telemetry/{export,import}</c>. Relies on WebApplication's implicit routing (these checks read the matched route).
    /// </summary>
    public static WebApplication MapDashboardTelemetry(this WebApplication app)
    {
        app.UseMiddleware<EndpointIsolation>();
        app.UseMiddleware<OtlpApiKeyCheck>();
        app.MapGrpcService<OtlpTracesGrpcService>().OnlyOn(DashboardEndpointKind.OtlpGrpc);
        app.MapGrpcService<OtlpMetricsGrpcService>().OnlyOn(DashboardEndpointKind.OtlpGrpc);
        app.MapGrpcService<OtlpLogsGrpcService>().OnlyOn(DashboardEndpointKind.OtlpGrpc);
        app.MapOtlpHttp();
        app.MapTelemetryApi();
        return app;
    }
}
