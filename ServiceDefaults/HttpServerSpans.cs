using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// ASP.NET Core starts a span per request but, without OpenTelemetry's instrumentation package (not restorable), leaves
/// it unnamed and untagged. This names it "{method} {route}" with the HTTP semantic-convention tags, and un-records the
/// spans of /metrics, /health, /alive and grpc.health.v1: scrapes and health checks every second or two would
/// otherwise bury the real traces.
/// </summary>
internal sealed class HttpServerSpans : IStartupFilter
{
    private static readonly PathString[] Unrecorded = ["/metrics", "/health", "/alive", "/grpc.health.v1.Health"];

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(EnrichAsync);
        next(app);
    };

    private static async Task EnrichAsync(HttpContext context, RequestDelegate next)
    {
        var activity = context.Features.Get<IHttpActivityFeature>()?.Activity;
        if (activity is not { IsAllDataRequested: true })
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        if (Unrecorded.Any(path => context.Request.Path.StartsWithSegments(path, StringComparison.OrdinalIgnoreCase)))
        {
            // Before the rest of the pipeline runs, so spans started under it (the gRPC server's) are not sampled either.
            activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            activity.IsAllDataRequested = false;
            await next(context).ConfigureAwait(false);
            return;
        }
        var request = context.Request;
        activity.SetTag("http.request.method", request.Method);
        activity.SetTag("url.scheme", request.Scheme);
        activity.SetTag("url.path", request.Path.Value);
        activity.SetTag("server.address", request.Host.Host);
        activity.SetTag("server.port", request.Host.Port ?? context.Connection.LocalPort);
        activity.SetTag("network.protocol.version", request.Protocol.StartsWith("HTTP/", StringComparison.Ordinal) ? request.Protocol[5..] : request.Protocol);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            activity.SetStatus(ActivityStatusCode.Error, ex.Message);
            activity.SetTag("error.type", ex.GetType().FullName);
            throw;
        }
        finally
        {
            // The route is known only after routing ran, inside the pipeline.
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
            activity.DisplayName = route is null ? request.Method : $"{request.Method} {route}";
            activity.SetTag("http.route", route);
            activity.SetTag("http.response.status_code", context.Response.StatusCode);
            if (context.Response.StatusCode >= 500)
            {
                activity.SetStatus(ActivityStatusCode.Error);
            }
        }
    }
}
