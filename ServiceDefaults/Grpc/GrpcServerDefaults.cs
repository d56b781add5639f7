using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The gRPC server every service gets from AddServiceDefaults: grpc-dotnet's server, grpc.health.v1 answered from the
/// same ASP.NET Core health checks as /health, and server reflection where it is enabled. Services then only
/// <c>MapGrpcService&lt;T&gt;()</c>, and add their own interceptors with <c>AddGrpc(o =&gt; o.Interceptors.Add&lt;T&gt;())</c>.
/// </summary>
public static class GrpcServerDefaults
{
    /// <summary>
    /// The setting that maps reflection outside Development (<c>Grpc__Reflection=true</c>). grpc-dotnet's docs map it in
    /// Development only: it lists every method of the service to anyone who asks.
    /// </summary>
    public const string ReflectionSetting = "Grpc:Reflection";

    /// <summary>
    /// The largest request message any of our services accepts: 64 KB. The largest request of our APIs is a probe
    /// request, whose endpoint is at most 8 KB; grpc-dotnet's default of 4 MB would let one call put megabytes into
    /// validation, errors and telemetry. A larger message ends the call with RESOURCE_EXHAUSTED before it is parsed.
    /// </summary>
    public const int MaxReceiveMessageSize = 64 * 1024;

    /// <summary>Adds the gRPC server, its health service and reflection.</summary>
    public static TBuilder AddGrpcServerDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddGrpc(grpc => grpc.MaxReceiveMessageSize = MaxReceiveMessageSize);
        // Registers grpc.health.v1 over the health checks AddDefaultHealthChecks and the services add; each Check
        // runs them afresh (no cached publisher results), so it says what /health says at that moment.
        builder.Services.AddGrpcHealthChecks();
        builder.Services.AddGrpcReflection();
        return builder;
    }

    /// <summary>Maps grpc.health.v1 always, and reflection in Development or when <see cref="ReflectionSetting"/> is true.</summary>
    public static WebApplication MapGrpcServerDefaults(this WebApplication app)
    {
        app.Use(TagRequestMetricWithGrpcStatus);
        app.MapGrpcHealthChecksService();
        if (app.Environment.IsDevelopment() || app.Configuration.GetValue<bool>(ReflectionSetting))
        {
            app.MapGrpcReflectionService();
        }
        return app;
    }

    /// <summary>The tag of ASP.NET Core's <c>http.server.request.duration</c> that carries a call's gRPC status code.</summary>
    public const string GrpcStatusTag = "rpc.grpc.status_code";

    // grpc-dotnet records no metrics of its own (its counters are EventCounters); each call is an ASP.NET Core request
    // whose http.route is /package.Service/Method. Its HTTP status is 200 whatever the call's outcome, so the gRPC
    // status is added as a tag: Grafana's error rate per method reads it.
    private static async Task TagRequestMetricWithGrpcStatus(HttpContext context, RequestDelegate next)
    {
        await next(context);
        if (context.Features.Get<IHttpMetricsTagsFeature>() is { } metrics && GrpcStatusOf(context.Response) is { } status)
        {
            metrics.Tags.Add(new(GrpcStatusTag, status));
        }
    }

    /// <summary>
    /// Names the server span of a gRPC call <c>package.Service/Method</c> and adds <c>rpc.system</c>, <c>rpc.service</c>,
    /// <c>rpc.method</c> and <c>rpc.grpc.status_code</c>, as OpenTelemetry's RPC conventions (and the gRPC client's own
    /// spans) have it; ASP.NET Core alone names it <c>POST /package.Service/Method</c> with HTTP status 200.
    /// </summary>
    internal static void NameRpcServerSpan(Activity activity, HttpResponse response)
    {
        if (GrpcStatusOf(response) is not { } status || response.HttpContext.Request.Path.Value is not { } path)
        {
            return;
        }
        var method = path.TrimStart('/');
        var slash = method.IndexOf('/');
        activity.DisplayName = method;
        activity.SetTag("rpc.system", "grpc");
        if (slash > 0)
        {
            activity.SetTag("rpc.service", method[..slash]);
            activity.SetTag("rpc.method", method[(slash + 1)..]);
        }
        activity.SetTag(GrpcStatusTag, int.TryParse(status, out var code) ? code : status);
    }

    // The grpc-status trailer, or header for a trailers-only response; null for a request that is not a gRPC call.
    private static string? GrpcStatusOf(HttpResponse response)
    {
        if (response.HttpContext.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) != true)
        {
            return null;
        }
        var status = response.Headers["grpc-status"].ToString();
        if (status.Length == 0 && response.HttpContext.Features.Get<IHttpResponseTrailersFeature>()?.Trailers is { } trailers)
        {
            status = trailers["grpc-status"].ToString();
        }
        return status.Length > 0 ? status : null;
    }
}
