using Microsoft.AspNetCore.Builder;

namespace AspireProber.Dashboard.Hosting;

/// <summary>The dashboard's three Kestrel endpoints; each route answers on exactly one of them.</summary>
public enum DashboardEndpointKind
{
    /// <summary>Pages and the UI's APIs (HTTP/1.1); routes without an <see cref="DashboardEndpointMetadata"/> belong here.</summary>
    Ui,
    /// <summary>OTLP/gRPC (h2c, HTTP/2 only).</summary>
    OtlpGrpc,
    /// <summary>OTLP/HTTP (HTTP/1.1).</summary>
    OtlpHttp,
}

/// <summary>Marks a route as belonging to a non-UI endpoint; requests for it on another endpoint get 404.</summary>
public sealed record DashboardEndpointMetadata(DashboardEndpointKind Kind);

/// <summary>Assigns routes to endpoints.</summary>
public static class DashboardEndpointConventions
{
    /// <summary>Lets the routes of <paramref name="builder"/> answer only on the <paramref name="kind"/> endpoint.</summary>
    public static TBuilder OnlyOn<TBuilder>(this TBuilder builder, DashboardEndpointKind kind) where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new DashboardEndpointMetadata(kind));
        return builder;
    }
}
