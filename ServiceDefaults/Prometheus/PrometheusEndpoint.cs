using AspireProber.ServiceDefaults.Prometheus;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace Microsoft.Extensions.Hosting;

/// <summary>Maps the Prometheus scrape endpoint served from the app's MeterProvider.</summary>
public static class PrometheusEndpointExtensions
{
    /// <summary>
    /// Maps GET <paramref name="path"/>: text format 0.0.4, or OpenMetrics 1.0 when the Accept header asks for
    /// <c>application/openmetrics-text</c> (Prometheus does). Requires AddServiceDefaults.
    /// </summary>
    public static IEndpointConventionBuilder MapPrometheusScrapingEndpoint(this IEndpointRouteBuilder endpoints, string path = "/metrics")
    {
        var scraper = endpoints.ServiceProvider.GetService<PrometheusScraper>()
            ?? throw new InvalidOperationException("Call builder.AddServiceDefaults() before mapping the Prometheus endpoint.");
        return endpoints.MapGet(path, async context =>
        {
            var openMetrics = context.Request.Headers.Accept.Any(accept => accept?.Contains("application/openmetrics-text", StringComparison.OrdinalIgnoreCase) == true);
            var body = await scraper.ScrapeAsync(openMetrics, context.RequestAborted).ConfigureAwait(false);
            if (body is null)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                await context.Response.WriteAsync("metrics collection failed\n", context.RequestAborted).ConfigureAwait(false);
                return;
            }
            context.Response.ContentType = openMetrics ? PrometheusSerializer.OpenMetricsContentType : PrometheusSerializer.TextContentType;
            context.Response.Headers[HeaderNames.CacheControl] = "no-store";
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        });
    }
}
