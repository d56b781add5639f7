using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The defaults every AspireProber service starts with, in the shape of the Aspire template's ServiceDefaults:
/// OpenTelemetry, health checks, service discovery and resilience for HttpClient, and the endpoints that expose them.
/// </summary>
public static class Extensions
{
    /// <summary>The prefix of every ActivitySource and Meter of ours (e.g. AspireProber.Prober, AspireProber.Stock).</summary>
    public const string TelemetryPrefix = "AspireProber.*";

    /// <summary>Readiness: every check passes. Aspire's WithHttpHealthCheck and Prometheus' blackbox probes ask here.</summary>
    public const string HealthEndpointPath = "/health";

    /// <summary>Liveness: only the checks tagged <see cref="LiveTag"/>.</summary>
    public const string AlivenessEndpointPath = "/alive";

    /// <summary>Where Prometheus scrapes.</summary>
    public const string MetricsEndpointPath = "/metrics";

    /// <summary>The tag of health checks that say the process is alive (the only ones /alive runs).</summary>
    public const string LiveTag = "live";

    // .NET's runtime gauges whose names end in ".count", which Prometheus keeps for the sample count of a histogram or
    // summary (promtool check metrics rejects dotnet_timer_count): exported under plural names instead.
    private static readonly Dictionary<string, string> RuntimeGaugeNames = new(StringComparer.Ordinal)
    {
        ["dotnet.assembly.count"] = "dotnet.assemblies",
        ["dotnet.process.cpu.count"] = "dotnet.process.cpus",
        ["dotnet.thread_pool.thread.count"] = "dotnet.thread_pool.threads",
        ["dotnet.timer.count"] = "dotnet.timers",
    };

    // Scrapes and health checks arrive every second or two; traced, they would bury the requests worth looking at.
    private static readonly PathString[] UntracedPaths =
        [HealthEndpointPath, AlivenessEndpointPath, MetricsEndpointPath, "/grpc.health.v1.Health"];

    /// <summary>
    /// Adds the Kestrel endpoints, OpenTelemetry, the default health checks, the gRPC server (with grpc.health.v1 and
    /// reflection), service discovery and HttpClient resilience.
    /// </summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        KestrelEndpoints.Configure(builder);
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.AddGrpcServerDefaults();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // gRPC clients take the resilience handler off again (AddServiceGrpcClient): gRPC retries by its own service
            // config, and a total request timeout would end the long-lived stock stream.
            http.AddStandardResilienceHandler();
            // Unlike the Aspire template, service discovery's HttpClient handler is not added to every client: it picks
            // one endpoint per request below the channel and turns grpc-dotnet's load balancing off, while our gRPC
            // clients balance over every replica in the channel (ServiceDiscoveryResolverFactory). A plain HttpClient
            // of a referenced resource opts in with AddHttpClient(...).AddServiceDiscovery().
        });
        return builder;
    }

    /// <summary>
    /// Logs, metrics and traces through OpenTelemetry: ASP.NET Core, HttpClient, gRPC and the runtime, plus our own
    /// sources and meters (<see cref="TelemetryPrefix"/>); Prometheus' scrape endpoint always, OTLP when the AppHost
    /// sets OTEL_EXPORTER_OTLP_ENDPOINT.
    /// </summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry();
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_SERVICE_NAME"]))
        {
            // The AppHost names every service (OTEL_SERVICE_NAME); run alone, a service is still named after itself
            // rather than "unknown_service".
            telemetry.ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName, autoGenerateServiceInstanceId: false));
        }
        telemetry
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddView(instrument => RuntimeGaugeNames.TryGetValue(instrument.Name, out var name) ? new MetricStreamConfiguration { Name = name } : null)
                .AddMeter(TelemetryPrefix)
                // No scrape cache (the exporter's default keeps a response 300 ms): a scrape right after a change,
                // as the tests and the backpressure view make, sees it.
                .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName, TelemetryPrefix)
                .AddAspNetCoreInstrumentation(aspnetcore =>
                {
                    aspnetcore.Filter = context =>
                        !UntracedPaths.Any(path => context.Request.Path.StartsWithSegments(path, StringComparison.OrdinalIgnoreCase));
                    // A gRPC call's span is named and tagged as an RPC (OpenTelemetry's RPC conventions), which is how
                    // the dashboard shows its method and gRPC status.
                    aspnetcore.EnrichWithHttpResponse = GrpcServerDefaults.NameRpcServerSpan;
                })
                .AddGrpcClientInstrumentation()
                .AddHttpClientInstrumentation());

        builder.AddOpenTelemetryExporters();
        return builder;
    }

    // The names OpenTelemetry.Exporter.OpenTelemetryProtocol asks IHttpClientFactory for, one per signal.
    private static readonly string[] OtlpExporterHttpClients = ["OtlpTraceExporter", "OtlpMetricExporter", "OtlpLogExporter"];

    private static TBuilder AddOpenTelemetryExporters<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT/_PROTOCOL/_HEADERS, and the SDK OTEL_SERVICE_NAME,
        // OTEL_RESOURCE_ATTRIBUTES and the export intervals, from configuration: nothing here overrides them.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
            // Over http/protobuf the exporter sends through IHttpClientFactory, so ConfigureHttpClientDefaults gave it the
            // standard resilience handler too. The exporter has its own retries (OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY) and
            // timeout; the handler's retries stacked below them, and disposing the service provider waited on Polly for
            // an export still retrying: a service took 9-11 s to stop once its dashboard was gone.
#pragma warning disable EXTEXP0001
            foreach (var exporterClient in OtlpExporterHttpClients)
            {
                builder.Services.AddHttpClient(exporterClient).RemoveAllResilienceHandlers();
            }
#pragma warning restore EXTEXP0001
            // The last export on stop gets a bound of ours rather than the SDK's 5 s per signal (TelemetryShutdown says why).
            builder.Services.AddHostedService<TelemetryShutdown>();
        }
        return builder;
    }

    /// <summary>A check that is always healthy and tagged live, so /alive means "the process answers".</summary>
    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>
    /// Maps /health, /alive and Prometheus' /metrics on the http endpoint, and grpc.health.v1 (and, where enabled,
    /// reflection) for the gRPC endpoint.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // The template maps health only in Development. AspireProber is a demo meant to be looked at, and Prometheus
        // scrapes in every environment: all three are always mapped, but only on the http endpoint, so the gRPC port
        // serves nothing but gRPC. They report state, never secrets.
        var endpoints = app.Services.GetRequiredService<KestrelEndpoints>();
        ReadOnly(endpoints, app.MapHealthChecks(HealthEndpointPath));
        ReadOnly(endpoints, app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) }));
        ReadOnly(endpoints, app.MapPrometheusScrapingEndpoint(MetricsEndpointPath));
        app.MapGrpcServerDefaults();
        return app;
    }

    // Only on the http endpoint, and only GET and HEAD: both maps answer any method by default, and these endpoints
    // are read, never written (other methods get 405 Method Not Allowed from routing).
    private static void ReadOnly(KestrelEndpoints endpoints, IEndpointConventionBuilder endpoint)
    {
        endpoints.RestrictToHttpEndpoint(endpoint);
        endpoint.WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]));
    }
}
