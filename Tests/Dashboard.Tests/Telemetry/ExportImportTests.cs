using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AspireProber.Dashboard.Otlp;
using AspireProber.Dashboard.Telemetry;
using AspireProber.Dashboard.Tests.Infrastructure;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Metrics.V1;

namespace AspireProber.Dashboard.Tests.Telemetry;

/// <summary>GET /api/telemetry/export, POST /api/telemetry/import and --import: the same content comes back.</summary>
public sealed class ExportImportTests
{
    private static readonly DateTime Start = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    [Fact]
    public async Task Export_then_import_into_another_dashboard_gives_the_same_content()
    {
        await using var source = await TestDashboard.StartAsync();
        Fill(source.Store);
        await using var target = await TestDashboard.StartAsync();
        using var http = new HttpClient();

        using var exported = await http.GetAsync(new Uri(source.UiUrl, "api/telemetry/export"));
        var document = await exported.Content.ReadAsStringAsync();
        using var imported = await http.PostAsync(new Uri(target.UiUrl, "api/telemetry/import"), new StringContent(document, System.Text.Encoding.UTF8, "application/json"));
        var reexported = await http.GetStringAsync(new Uri(target.UiUrl, "api/telemetry/export"));

        Assert.Equal(HttpStatusCode.OK, exported.StatusCode);
        Assert.StartsWith("attachment; filename=\"telemetry-", exported.Content.Headers.ContentDisposition?.ToString());
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        Assert.Equal(WithoutExportTime(document), WithoutExportTime(reexported));
        var json = JsonNode.Parse(document)!;
        Assert.Equal(("aspireprober.telemetry", 1), ((string)json["format"]!, (int)json["version"]!));
        Assert.Equal((2, 1, 2), (json["spans"]!.AsArray().Count, json["logs"]!.AsArray().Count, json["metrics"]!.AsArray().Count));
        var (before, after) = (source.Store.GetTrace(OtlpMessages.TraceId(1))!.Summary, target.Store.GetTrace(OtlpMessages.TraceId(1))!.Summary);
        Assert.Equal(before with { Resources = [] }, after with { Resources = [] });
        Assert.Equal(before.Resources, after.Resources);
    }

    [Fact]
    public async Task The_import_file_option_loads_an_export_at_startup()
    {
        var store = new TelemetryStore(new TelemetryLimits());
        Fill(store);
        var file = Path.Combine(Path.GetTempPath(), $"telemetry-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(store.Export(), TelemetryExport.JsonOptions));
        try
        {
            await using var dashboard = await TestDashboard.StartAsync(new Dictionary<string, string?> { ["import"] = file });

            Assert.Equal(store.GetCounts(), dashboard.Store.GetCounts());
            Assert.Equal(
                store.GetInstrument("stock", "stock.updates.sent")!.Series[0].Points,
                dashboard.Store.GetInstrument("stock", "stock.updates.sent")!.Series[0].Points);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task An_import_of_another_version_is_400_and_adds_nothing()
    {
        await using var dashboard = await TestDashboard.StartAsync();
        var store = new TelemetryStore(new TelemetryLimits());
        Fill(store);
        var document = JsonSerializer.SerializeToNode(store.Export() with { Version = 99 }, TelemetryExport.JsonOptions)!;
        using var http = new HttpClient();

        using var response = await http.PostAsJsonAsync(new Uri(dashboard.UiUrl, "api/telemetry/import"), document);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("version is 99", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, dashboard.Store.GetCounts().Spans);
    }

    private static void Fill(TelemetryStore store)
    {
        var decoder = new OtlpDecoder(store.Limits);
        store.Add(decoder.Decode(OtlpMessages.Traces("prober", "prober-0",
            OtlpMessages.Span(OtlpMessages.TraceId(1), OtlpMessages.SpanId(1), "root", Start, 10),
            OtlpMessages.Span(OtlpMessages.TraceId(1), OtlpMessages.SpanId(2), "child", Start, 5, parentId: OtlpMessages.SpanId(1), error: true))));
        store.Add(decoder.Decode(new ExportLogsServiceRequest
        {
            ResourceLogs =
            {
                new ResourceLogs
                {
                    Resource = OtlpMessages.Resource("runner", "runner-0"),
                    ScopeLogs = { new ScopeLogs { LogRecords = { new LogRecord { TimeUnixNano = OtlpMessages.UnixNanos(Start), SeverityNumber = SeverityNumber.Warn, Body = new AnyValue { StringValue = "lagging" }, Attributes = { OtlpMessages.Attribute("stream", "slow") } } } } },
                },
            },
        }));
        store.Add(decoder.Decode(new ExportMetricsServiceRequest
        {
            ResourceMetrics =
            {
                new ResourceMetrics
                {
                    Resource = OtlpMessages.Resource("stock", "stock-0"),
                    ScopeMetrics =
                    {
                        new ScopeMetrics
                        {
                            Metrics =
                            {
                                new Metric { Name = "stock.updates.sent", Unit = "{update}", Sum = new Sum { IsMonotonic = true, AggregationTemporality = AggregationTemporality.Cumulative, DataPoints = { new NumberDataPoint { StartTimeUnixNano = OtlpMessages.UnixNanos(Start), TimeUnixNano = OtlpMessages.UnixNanos(Start.AddSeconds(1)), AsInt = 42, Attributes = { OtlpMessages.Attribute("stream", "fast") } } } } },
                                new Metric { Name = "probe.latency", Unit = "s", Histogram = new Histogram { AggregationTemporality = AggregationTemporality.Cumulative, DataPoints = { new HistogramDataPoint { StartTimeUnixNano = OtlpMessages.UnixNanos(Start), TimeUnixNano = OtlpMessages.UnixNanos(Start.AddSeconds(1)), Count = 3, Sum = 1.5, ExplicitBounds = { 0.5 }, BucketCounts = { 2, 1 }, Min = 0.1, Max = 1 } } } },
                            },
                        },
                    },
                },
            },
        }));
    }

    private static string WithoutExportTime(string document)
    {
        var json = JsonNode.Parse(document)!.AsObject();
        json.Remove("exportedAt");
        return json.ToJsonString();
    }
}
