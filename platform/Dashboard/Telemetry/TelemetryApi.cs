using System.Text.Json;
using AspireProber.Dashboard.Authentication;
using AspireProber.Dashboard.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AspireProber.Dashboard.Telemetry;

/// <summary>
/// The UI endpoint's telemetry API, behind the <see cref="FrontendAuthentication.PolicyName"/> policy:
/// <c>GET /api/telemetry/export</c> (the whole store as a <see cref="TelemetryExport"/> JSON file) and
/// <c>POST /api/telemetry/import</c> (adds such a file's content; 400 with a problem description when it is invalid).
/// </summary>
internal static class TelemetryApi
{
    public static void MapTelemetryApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/telemetry").RequireAuthorization(FrontendAuthentication.PolicyName).OnlyOn(DashboardEndpointKind.Ui);
        api.MapGet("/export", (TelemetryStore store, HttpContext context) =>
        {
            var export = store.Export();
            context.Response.Headers.ContentDisposition = $"attachment; filename=\"telemetry-{export.ExportedAt:yyyyMMdd-HHmmss}.json\"";
            return Results.Json(export, TelemetryExport.JsonOptions);
        });
        api.MapPost("/import", async (TelemetryStore store, HttpRequest request) =>
        {
            try
            {
                var export = await JsonSerializer.DeserializeAsync<TelemetryExport>(request.Body, TelemetryExport.JsonOptions, request.HttpContext.RequestAborted)
                    ?? throw new TelemetryImportException("the body is JSON null.");
                store.Import(export);
                return Results.Ok(new { spans = export.Spans.Count, logs = export.Logs.Count, instruments = export.Metrics.Count });
            }
            catch (Exception ex) when (ex is JsonException or TelemetryImportException)
            {
                return Results.Problem(title: "Not a telemetry export", detail: ex.Message, statusCode: StatusCodes.Status400BadRequest);
            }
        });
    }
}
