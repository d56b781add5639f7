using Microsoft.AspNetCore.Http.HttpResults;

namespace AspireProber.Dashboard.Components.Telemetry;

/// <summary>The telemetry pages' fragments, re-fetched by live.js; each takes the same query parameters as its page.</summary>
internal static class TelemetryFragmentEndpoints
{
    public static void MapTelemetryFragments(this RouteGroupBuilder ui)
    {
        ui.MapGet("/fragments/logs", (string? resource, int? level, string? text, string? traceId) =>
            new RazorComponentResult<LogTable>(new { Resource = resource, MinLevel = level, Text = text, TraceId = traceId }));
        ui.MapGet("/fragments/traces", (string? resource, double? minms, bool? errors) =>
            new RazorComponentResult<TraceTable>(new { Resource = resource, MinDurationMs = minms, ErrorsOnly = errors == true }));
        ui.MapGet("/fragments/traces/{traceId}", (string traceId) =>
            new RazorComponentResult<TraceWaterfall>(new { TraceId = traceId }));
        ui.MapGet("/fragments/metrics", (string? resource, string? instrument, string? replica, string? attr) =>
            new RazorComponentResult<InstrumentCharts>(new { Service = resource, Instrument = instrument, Replica = replica, Attribute = attr }));
        ui.MapGet("/fragments/backpressure", () => new RazorComponentResult<BackpressureView>());
    }
}
