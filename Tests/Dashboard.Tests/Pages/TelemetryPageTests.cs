using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using AspireProber.Dashboard.Components.Live;
using AspireProber.Dashboard.Tests.Infrastructure;
using AspireProber.Dashboard.Tests.Otlp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AspireProber.Dashboard.Tests.Pages;

/// <summary>
/// The telemetry pages and their live fragments over HTTP, fed by the real OpenTelemetry .NET SDK and OTLP exporter:
/// what each filter keeps, the waterfall's nesting and statuses, counters as rate and total, both stock consumers.
/// </summary>
public sealed class TelemetryPageTests
{
    [Fact]
    public async Task The_logs_fragment_filters_by_level_text_and_resource_and_links_records_to_their_trace()
    {
        await using var dashboard = await TestDashboard.StartAsync();
        var token = Guid.NewGuid().ToString("N");
        string traceId;
        // Exported in this order (each factory exports when disposed): the runner's two records, then the prober's.
        using (var runner = Logger(dashboard, "runner"))
        {
            using var source = new ActivitySource("test." + token);
            using var listener = DotNetExporterTests.ListenTo(source.Name);
            using (var round = source.StartActivity("round")!)
            {
                traceId = round.TraceId.ToHexString();
                runner.CreateLogger("Runner").LogError("Round {Token} failed on {Replica}", token, "prober-1");
            }
            runner.CreateLogger("Runner").LogInformation("Round {Token} started", token);
        }
        using (var prober = Logger(dashboard, "prober"))
        {
            prober.CreateLogger("Prober").LogWarning("Target slow for {Token}", token);
        }
        using var http = dashboard.CreateClient();

        var all = await http.GetStringAsync("/ui/fragments/logs?text=" + token);
        var warningsUp = await http.GetStringAsync($"/ui/fragments/logs?text={token}&level=13");
        var runnerOnly = await http.GetStringAsync($"/ui/fragments/logs?text={token}&resource=runner");
        var nothing = await http.GetStringAsync("/ui/fragments/logs?text=no-such-" + token);

        Assert.Equal(["Warning", "Information", "Error"], Values(all, "data-level"));
        Assert.Equal(["Warning", "Error"], Values(warningsUp, "data-level"));
        Assert.Equal(["runner/runner-0", "runner/runner-0"], Values(runnerOnly, "data-resource"));
        Assert.Contains("No log records match.", nothing);
        Assert.Contains("class=\"badge level-error\"", all);
        Assert.Contains($"href=\"/traces/{traceId}\"", all);
        Assert.Contains("<dd data-attribute=\"Replica\">prober-1</dd>", all);
        var page = await http.GetStringAsync($"/structuredlogs?text={token}&level=17");
        Assert.Contains($"data-live=\"/ui/fragments/logs?level=17&amp;text={token}\"", page);
        Assert.Equal(["Error"], Values(page, "data-level"));
    }

    [Fact]
    public async Task The_trace_list_filters_and_the_waterfall_nests_spans_of_two_services_with_their_grpc_status()
    {
        await using var dashboard = await TestDashboard.StartAsync();
        var name = "test." + Guid.NewGuid().ToString("N");
        // One source per service, each exported by that service's provider: the spans of one trace from two processes.
        using var runnerSource = new ActivitySource(name + ".runner");
        using var proberSource = new ActivitySource(name + ".prober");
        string traceId, rootId, serverId, quickTraceId;
        using (var runner = Tracer(dashboard, "runner", runnerSource.Name))
        using (var prober = Tracer(dashboard, "prober", proberSource.Name))
        {
            using (var root = runnerSource.StartActivity("probe round", ActivityKind.Internal)!)
            {
                using (var call = runnerSource.StartActivity("prober.v1.Prober/Probe", ActivityKind.Client)!)
                {
                    call.SetTag("rpc.grpc.status_code", 14);
                    call.SetStatus(ActivityStatusCode.Error, "replica down");
                    using var server = proberSource.StartActivity("prober.v1.Prober/Probe", ActivityKind.Server)!;
                    server.SetTag("rpc.grpc.status_code", 0);
                    server.AddEvent(new ActivityEvent("target answered"));
                    Thread.Sleep(30);
                    serverId = server.SpanId.ToHexString();
                }
                (traceId, rootId) = (root.TraceId.ToHexString(), root.SpanId.ToHexString());
            }
            using (var quick = runnerSource.StartActivity("quick", ActivityKind.Internal)!)
            {
                quickTraceId = quick.TraceId.ToHexString();
            }
            Assert.True(runner.ForceFlush(10_000) && prober.ForceFlush(10_000));
        }
        using var http = dashboard.CreateClient();

        var list = await http.GetStringAsync("/ui/fragments/traces");
        var errorsOnly = await http.GetStringAsync("/ui/fragments/traces?errors=true");
        var slowOnly = await http.GetStringAsync("/ui/fragments/traces?minms=25");
        var proberOnly = await http.GetStringAsync("/ui/fragments/traces?resource=prober");

        Assert.Equal([quickTraceId, traceId], Values(list, "data-trace-id"));
        Assert.Equal([traceId], Values(errorsOnly, "data-trace-id"));
        Assert.Equal([traceId], Values(slowOnly, "data-trace-id"));
        Assert.Equal([traceId], Values(proberOnly, "data-trace-id"));
        Assert.Contains(">runner/runner-0</span>", list);
        Assert.Contains(">prober/prober-0</span>", list);

        var waterfall = await http.GetStringAsync("/traces/" + traceId);
        Assert.Contains("<h1>probe round</h1>", waterfall);
        Assert.Equal(["0", "1", "2"], Values(waterfall, "data-depth"));
        Assert.Equal(["runner", "runner", "prober"], Values(waterfall, "data-service"));
        Assert.Equal([rootId, serverId], Values(waterfall, "data-span-id").Where((_, i) => i != 1).ToArray());
        Assert.Equal(["UNAVAILABLE (14)", "OK (0)"], Values(waterfall, "data-grpc-status"));
        Assert.Contains("class=\"badge grpc-status state-error\" data-grpc-status=\"UNAVAILABLE (14)\"", waterfall);
        Assert.Contains("class=\"span-row failed\"", waterfall);
        Assert.Contains("<strong>target answered</strong>", waterfall);
        Assert.Contains("data-live=\"/ui/fragments/traces/" + traceId + "\"", waterfall);
        Assert.Contains("id=\"trace-missing\"", await http.GetStringAsync("/ui/fragments/traces/" + new string('0', 32)));
    }

    [Fact]
    public async Task A_counter_shows_a_rate_and_a_total_and_a_histogram_percentiles_and_a_count_per_series()
    {
        await using var dashboard = await TestDashboard.StartAsync();
        var meterName = "test." + Guid.NewGuid().ToString("N");
        using var meter = new Meter(meterName);
        var sent = meter.CreateCounter<long>("stock.updates.sent", "{update}");
        var blocked = meter.CreateHistogram<double>("stock.write.blocked.duration", "s");
        // Read before the provider is disposed: disposing exports once more, and that unchanged point would make the latest rate 0.
        using var metrics = Metrics(dashboard, "stock", meterName);
        sent.Add(3, Tag("consumer", "fast"));
        sent.Add(1, Tag("consumer", "slow"));
        blocked.Record(0.002, Tag("consumer", "slow"));
        Assert.True(metrics.ForceFlush(10_000));
        Thread.Sleep(50);
        sent.Add(2, Tag("consumer", "fast"));
        blocked.Record(0.004, Tag("consumer", "slow"));
        Assert.True(metrics.ForceFlush(10_000));
        using var http = dashboard.CreateClient();

        var counter = await http.GetStringAsync("/ui/fragments/metrics?resource=stock&instrument=stock.updates.sent");
        var fastOnly = await http.GetStringAsync("/ui/fragments/metrics?resource=stock&instrument=stock.updates.sent&attr=consumer%3Dfast");
        var histogram = await http.GetStringAsync("/ui/fragments/metrics?resource=stock&instrument=stock.write.blocked.duration");

        Assert.Equal(["stock/stock-0 · consumer=fast", "stock/stock-0 · consumer=slow"], Values(counter, "data-series").Where(v => v.StartsWith("stock/", StringComparison.Ordinal)).ToArray());
        Assert.Equal(["5", "1"], Values(counter, "data-figure", "total"));
        Assert.Equal(2, Values(counter, "data-chart").Count(v => v == "rate"));
        var fastRate = double.Parse(Values(fastOnly, "data-figure", "rate").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(fastRate > 0, $"the rate of 2 updates between two exports is positive, not {fastRate}");
        Assert.DoesNotContain("consumer=slow\"", fastOnly);
        Assert.Equal(["percentiles", "count"], Values(histogram, "data-chart"));
        Assert.Equal(["2"], Values(histogram, "data-figure", "count"));
        Assert.Contains(">p99</text>", histogram);
        var page = await http.GetStringAsync("/metrics?resource=stock&instrument=stock.updates.sent");
        Assert.Contains("data-instrument=\"stock.write.blocked.duration\"", page);
        Assert.Contains("<option value=\"consumer=slow\">", page);
    }

    [Fact]
    public async Task The_backpressure_page_shows_both_consumers_with_the_slow_ones_gap()
    {
        await using var dashboard = await TestDashboard.StartAsync();
        var meterName = "test." + Guid.NewGuid().ToString("N");
        using var stockMeter = new Meter(meterName + ".stock");
        using var runnerMeter = new Meter(meterName + ".runner");
        var sent = stockMeter.CreateCounter<long>("stock.updates.sent", "{update}");
        var received = runnerMeter.CreateCounter<long>("stock.updates.received", "{update}");
        using (var stock = Metrics(dashboard, "stock", stockMeter.Name))
        using (var runner = Metrics(dashboard, "runner", runnerMeter.Name))
        {
            sent.Add(10, Tag("consumer", "fast"));
            sent.Add(10, Tag("consumer", "slow"));
            received.Add(10, Tag("consumer", "fast"));
            received.Add(4, Tag("consumer", "slow"));
            Assert.True(stock.ForceFlush(10_000) && runner.ForceFlush(10_000));
        }
        using var http = dashboard.CreateClient();

        var page = await http.GetStringAsync("/backpressure");

        Assert.Equal(["fast", "slow"], Values(page, "data-consumer"));
        Assert.Equal(["0", "6"], Values(page, "data-gap"));
        Assert.Equal(["10", "10"], Values(page, "data-figure", "sent"));
        Assert.Equal(["10", "4"], Values(page, "data-figure", "received"));
        Assert.Contains("WINDOW_UPDATE", page);
        Assert.Contains("data-live=\"/ui/fragments/backpressure\" data-live-topic=\"metrics\"", page);
        Assert.Contains("id=\"no-stock-metrics\"", await EmptyBackpressureAsync());
    }

    [Fact]
    public async Task Stored_telemetry_is_announced_on_its_topic_once_per_burst()
    {
        await using var dashboard = await TestDashboard.StartAsync();
        var updates = dashboard.Services.GetRequiredService<LiveUpdates>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var topics = updates.SubscribeAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        var next = topics.MoveNextAsync().AsTask();
        var feed = new TelemetryFeed(dashboard);

        for (var i = 1; i <= 20; i++)
        {
            feed.Spans("runner", "runner-0", OtlpMessages.Span(OtlpMessages.TraceId(i), OtlpMessages.SpanId(i), "round", DateTime.UtcNow, 5));
        }

        Assert.True(await next);
        Assert.Equal("traces", topics.Current);
        feed.Counter("stock", "stock.updates.sent", "fast", DateTime.UtcNow, 1);
        Assert.True(await topics.MoveNextAsync());
        // The twenty batches arrived within one debounce interval: one "traces", then the metric's topic.
        Assert.Equal("metrics", topics.Current);
    }

    private static async Task<string> EmptyBackpressureAsync()
    {
        await using var empty = await TestDashboard.StartAsync();
        using var http = empty.CreateClient();
        return await http.GetStringAsync("/ui/fragments/backpressure");
    }

    /// <summary>
    /// The values of <paramref name="attribute"/> in document order; with <paramref name="figure"/>, the texts of the elements
    /// whose attribute has that value (e.g. data-figure="total"), without thousands separators.
    /// </summary>
    internal static string[] Values(string html, string attribute, string? figure = null)
    {
        if (figure is null)
        {
            return Regex.Matches(html, $"\\s{attribute}=\"([^\"]*)\"").Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)).ToArray();
        }
        // An element marked attribute="figure": its text up to the next tag.
        return Regex.Matches(html, $"\\s{attribute}=\"{figure}\"[^>]*>([^<]*)<").Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value).Replace(",", "")).ToArray();
    }

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);

    private static ResourceBuilder Resource(string service) =>
        ResourceBuilder.CreateEmpty().AddService(service, serviceInstanceId: service + "-0", autoGenerateServiceInstanceId: false);

    private static ILoggerFactory Logger(TestDashboard dashboard, string service) => LoggerFactory.Create(logging => logging.AddOpenTelemetry(options =>
    {
        options.SetResourceBuilder(Resource(service));
        options.IncludeFormattedMessage = true;
        options.AddOtlpExporter(exporter => DotNetExporterTests.Configure(exporter, dashboard, OtlpExportProtocol.Grpc, "v1/logs"));
    }));

    /// <summary>A tracer provider as <paramref name="service"/> would run it, exporting the spans of <paramref name="sourceName"/> over OTLP/HTTP.</summary>
    private static TracerProvider Tracer(TestDashboard dashboard, string service, string sourceName) => Sdk.CreateTracerProviderBuilder()
        .SetResourceBuilder(Resource(service))
        .AddSource(sourceName)
        .AddOtlpExporter(options => DotNetExporterTests.Configure(options, dashboard, OtlpExportProtocol.HttpProtobuf, "v1/traces"))
        .Build()!;

    private static MeterProvider Metrics(TestDashboard dashboard, string service, string meterName) => Sdk.CreateMeterProviderBuilder()
        .SetResourceBuilder(Resource(service))
        .AddMeter(meterName)
        .AddOtlpExporter((exporter, _) => DotNetExporterTests.Configure(exporter, dashboard, OtlpExportProtocol.Grpc, "v1/metrics"))
        .Build()!;
}
