using Microsoft.AspNetCore.Http;

namespace AspireProber.Dashboard.Hosting;

/// <summary>
/// Keeps each route on its endpoint: OTLP routes answer only on their OTLP port and UI routes only on the UI port, so
/// an OTLP sender cannot reach the pages (or the export API) and a browser cannot post telemetry. Anything else is 404
/// (which a gRPC client reads as UNIMPLEMENTED).
/// </summary>
internal sealed class EndpointIsolation(DashboardEndpoints endpoints) : IMiddleware
{
    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is not null && endpoints.KindOfPort(context.Connection.LocalPort) is { } arrivedOn)
        {
            var belongsTo = endpoint.Metadata.GetMetadata<DashboardEndpointMetadata>()?.Kind ?? DashboardEndpointKind.Ui;
            if (belongsTo != arrivedOn)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
        }
        return next(context);
    }
}
