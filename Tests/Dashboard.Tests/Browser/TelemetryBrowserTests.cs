using System.Diagnostics;
using System.Globalization;
using AspireProber.Dashboard.Tests.Infrastructure;
using AspireProber.Dashboard.Tests.Otlp;
using AspireProber.Dashboard.Tests.Pages;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Resources;
using static Microsoft.Playwright.Assertions;

namespace AspireProber.Dashboard.Tests.Browser;

/// <summary>
/// The telemetry pages in a real browser, fed through the dashboard's ingest paths and the OpenTelemetry exporter: a
/// waterfall of two services, the backpressure page with a slow consumer falling behind live, the traces list, the
/// metrics page and the structured logs updating without a reload, and the export link's download.
/// Screenshots (backpressure.png is the README's): Tests/Dashboard.Tests/bin/{Configuration}/net10.0/screenshots/.
/// </summary>
public sealed class TelemetryBrowserTests
{
    private const string Sent = "stock.updates.sent";
    private const string Received = "stock.updates.received";

    static TelemetryBrowserTests() => SetDefaultExpectTimeout(15_000);

    [Fact]
    public async Task The_waterfall_shows_spans_from_two_services_nested_with_their_grpc_status()
    {
        await using var dashboard = await TestDashboard.StartAsync();
        var feed = new TelemetryFeed(dashboard);
        var traceId = OtlpMessages.TraceId(0xbeef);
        var start = DateTime.UtcNow.AddSeconds(-1);
        var round = OtlpMessages.Span(traceId, OtlpMessages.SpanId(1), "probe round", start, 120);
        var call = OtlpMessages.Span(traceId, OtlpMessages.SpanId(2), "prober.v1.Prober/Probe", start.AddMilliseconds(5), 100, OtlpMessages.SpanId(1), error: true);
        call.Attributes.Add(OtlpMessages.Attribute("rpc.grpc.status_code", "4"));
        call.Status.Message = "deadline of 100 ms exceeded";
        var serve = OtlpMessages.Span(traceId, OtlpMessages.SpanId(3), "prober.v1.Prober/Probe", start.AddMilliseconds(10), 110, OtlpMessages.SpanId(2));
        serve.Attributes.Add(OtlpMessages.Attribute("rpc.grpc.status_code", "0"));
        var fetch = OtlpMessages.Span(traceId, OtlpMessages.SpanId(4), "GET /slow", start.AddMilliseconds(12), 105, OtlpMessages.SpanId(3));
        feed.Spans("runner", "runner-0", round, call);
        feed.Spans("prober", "prober-1", serve, fetch);
        await using var browser = await BrowserSession.StartAsync(dashboard.UiUrl);
        var page = browser.Page;

        await page.GotoAsync("/traces");
        await page.Locator($"tr[data-trace-id='{traceId}'] a").ClickAsync();

        await Expect(page.Locator("h1")).ToHaveTextAsync("probe round");
        await Expect(page.Locator(".span-row")).ToHaveCountAsync(4);
        await Expect(page.Locator(".span-row[data-service='runner']")).ToHaveCountAsync(2);
        await Expect(page.Locator(".span-row[data-service='prober']")).ToHaveCountAsync(2);
        Assert.Equal(["0", "1", "2", "3"], await page.Locator(".span-row").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.depth)"));
        await Expect(page.Locator(".span-row.failed .grpc-status")).ToHaveTextAsync("gRPC DEADLINE_EXCEEDED (4)");
        var failedBar = page.Locator(".span-row.failed .span-bar");
        Assert.Equal("rgb(207, 34, 46)", await failedBar.EvaluateAsync<string>("bar => getComputedStyle(bar).backgroundColor"));
        // Bars sit on the trace's time axis: the call starts later than the round and ends earlier than the server's span.
        var roundBox = (await page.Locator($".span-row[data-span-id='{OtlpMessages.SpanId(1)}'] .span-bar").BoundingBoxAsync())!;
        var callBox = (await failedBar.BoundingBoxAsync())!;
        Assert.True(callBox.X > roundBox.X && callBox.Width < roundBox.Width, $"call bar {callBox.X}+{callBox.Width} inside round bar {roundBox.X}+{roundBox.Width}");

        await page.Locator(".span-row.failed > summary").ClickAsync();
        await Expect(page.Locator(".span-row.failed .span-details")).ToContainTextAsync("deadline of 100 ms exceeded");
        await Expect(page.Locator(".span-row.failed dd[data-attribute='rpc.grpc.status_code']")).ToHaveTextAsync("4");
        await browser.ScreenshotAsync("trace-waterfall");

        // The navigation's export link downloads the whole store as one JSON file, this trace's four spans included.
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("a.nav-export").ClickAsync());
        var export = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync((await download.PathAsync())!)).RootElement;
        Assert.Equal("aspireprober.telemetry", export.GetProperty("format").GetString());
        Assert.Equal(4, export.GetProperty("spans").EnumerateArray().Count(span => span.GetProperty("traceId").GetString() == traceId));
    }

    [Fact]
    public async Task The_backpressure_page_shows_both_consumers_and_the_slow_ones_gap_growing_live()
    {
        await using var dashboard = await TestDashboard.StartAsync();
        var feed = new TelemetryFeed(dashboard);
        // A minute of the demo: 20 updates/s generated; "fast" keeps up, "slow" reads 5/s, so its writes wait for the window
        // (see FeedSecond).
        var start = DateTime.UtcNow.AddSeconds(-60);
        for (var second = 0; second <= 60; second += 2)
        {
            FeedSecond(feed, start, second);
        }
        await using var browser = await BrowserSession.StartAsync(dashboard.UiUrl);
        var page = browser.Page;

        await page.GotoAsync("/backpressure");

        await Expect(page.Locator("section.consumer")).ToHaveCountAsync(2);
        await Expect(Figure(page, "fast", "gap")).ToHaveTextAsync("0");
        var gapBefore = await GapAsync(page, "slow");
        var lagBefore = await Figure(page, "slow", "lag").TextContentAsync();
        Assert.True(gapBefore > 0, $"the slow consumer's gap is {gapBefore}");
        await Expect(page.Locator("section[data-consumer='slow'] .gap-open")).ToBeVisibleAsync();
        await Expect(page.Locator("section[data-consumer='slow'] figure[data-chart='sent-received'] .series-group")).ToHaveCountAsync(2);
        await Expect(page.Locator("#flow-control")).ToContainTextAsync("WINDOW_UPDATE");
        await browser.MarkDocumentAsync();

        for (var second = 62; second <= 70; second += 2)
        {
            FeedSecond(feed, start, second);
        }

        await Expect(Figure(page, "slow", "gap")).Not.ToHaveTextAsync(gapBefore.ToString("N0", CultureInfo.InvariantCulture));
        var gapAfter = await GapAsync(page, "slow");
        Assert.True(gapAfter > gapBefore, $"the slow consumer's gap grew from {gapBefore} to {gapAfter}");
        await Expect(Figure(page, "fast", "gap")).ToHaveTextAsync("0");
        await Expect(Figure(page, "slow", "lag")).Not.ToHaveTextAsync(lagBefore!);
        Assert.True(await browser.IsSameDocumentAsync(), "the page was reloaded instead of updated in place");
        await browser.ScreenshotAsync("backpressure");
    }

    [Fact]
    public async Task The_traces_list_shows_new_traces_without_a_reload()
    {
        await using var dashboard = await TestDashboard.StartAsync();
        var feed = new TelemetryFeed(dashboard);
        var now = DateTime.UtcNow;
        feed.Spans("runner", "runner-0", OtlpMessages.Span(OtlpMessages.TraceId(1), OtlpMessages.SpanId(1), "probe round", now, 40));
        await using var browser = await BrowserSession.StartAsync(dashboard.UiUrl);
        var page = browser.Page;
        await page.GotoAsync("/traces");
        await Expect(page.Locator("#trace-table tbody tr[data-trace-id]")).ToHaveCountAsync(1);
        await browser.MarkDocumentAsync();

        feed.Spans("prober", "prober-0", OtlpMessages.Span(OtlpMessages.TraceId(2), OtlpMessages.SpanId(2), "prober.v1.Prober/Probe", now, 12, error: true));

        await Expect(page.Locator("#trace-table tbody tr[data-trace-id]")).ToHaveCountAsync(2);
        await Expect(page.Locator("#trace-table tbody tr").First).ToHaveAttributeAsync("data-trace-id", OtlpMessages.TraceId(2));
        await Expect(page.Locator("#trace-table tbody tr.has-errors")).ToHaveCountAsync(1);
        Assert.True(await browser.IsSameDocumentAsync(), "the page was reloaded instead of updated in place");
        await browser.ScreenshotAsync("traces");
    }

    [Fact]
    public async Task The_metrics_page_leads_from_a_resource_to_an_instruments_rate_and_total_and_updates_them_live()
    {
        await using var dashboard = await TestDashboard.StartAsync();
        var feed = new TelemetryFeed(dashboard);
        var start = DateTime.UtcNow.AddSeconds(-30);
        for (var second = 0; second <= 30; second += 2)
        {
            FeedSecond(feed, start, second);
        }
        await using var browser = await BrowserSession.StartAsync(dashboard.UiUrl);
        var page = browser.Page;
        await page.GotoAsync("/metrics");

        await page.Locator("#resource-select").SelectOptionAsync("stock");
        await page.Locator("a[data-instrument='stock.updates.sent']").ClickAsync();

        await Expect(page.Locator("section.metric-series")).ToHaveCountAsync(2);
        var fast = page.Locator("section.metric-series[data-series='stock/stock-0 · consumer=fast']");
        await Expect(fast.Locator("[data-figure='rate']")).ToHaveTextAsync("20");
        await Expect(fast.Locator("[data-figure='total']")).ToHaveTextAsync("600");
        await page.Locator("#attribute-select").SelectOptionAsync("consumer=slow");
        await Expect(page.Locator("section.metric-series")).ToHaveCountAsync(1);
        await Expect(page.Locator("section.metric-series")).ToHaveAttributeAsync("data-series", "stock/stock-0 · consumer=slow");
        await browser.MarkDocumentAsync();

        FeedSecond(feed, start, 32);

        await Expect(page.Locator("[data-figure='total']")).ToHaveTextAsync("256");
        Assert.True(await browser.IsSameDocumentAsync(), "the page was reloaded instead of updated in place");
        await browser.ScreenshotAsync("metrics");
    }

    [Fact]
    public async Task The_structured_logs_page_filters_by_level_and_links_a_record_to_its_trace()
    {
        await using var dashboard = await TestDashboard.StartAsync();
        var traceId = OtlpMessages.TraceId(0x1095);
        new TelemetryFeed(dashboard).Spans("runner", "runner-0", OtlpMessages.Span(traceId, OtlpMessages.SpanId(1), "probe round", DateTime.UtcNow, 30));
        await using var browser = await BrowserSession.StartAsync(dashboard.UiUrl);
        var page = browser.Page;
        await page.GotoAsync("/structuredlogs");
        await Expect(page.Locator("#log-table")).ToContainTextAsync("No log records match.");
        await browser.MarkDocumentAsync();

        // Sent by the real exporter while the page is open: the table fills in live.
        using (var logging = LoggerFactory.Create(builder => builder.AddOpenTelemetry(options =>
        {
            options.SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("runner", serviceInstanceId: "runner-0", autoGenerateServiceInstanceId: false));
            options.IncludeFormattedMessage = true;
            options.AddOtlpExporter(exporter => DotNetExporterTests.Configure(exporter, dashboard, OtlpExportProtocol.Grpc, "v1/logs"));
        })))
        {
            var logger = logging.CreateLogger("Rounds");
            using var source = new ActivitySource("test.logs." + Guid.NewGuid().ToString("N"));
            using var listener = new ActivityListener
            {
                ShouldListenTo = candidate => candidate == source,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            };
            ActivitySource.AddActivityListener(listener);
            var parent = new ActivityContext(ActivityTraceId.CreateFromString(traceId), ActivitySpanId.CreateFromString(OtlpMessages.SpanId(1)), ActivityTraceFlags.Recorded);
            using (source.StartActivity("attempt", ActivityKind.Internal, parent))
            {
                logger.LogError("Round {Round} failed: {Replica} answered UNAVAILABLE", 7, "prober-2");
            }
            logger.LogInformation("Round {Round} started", 8);
        }

        await Expect(page.Locator("#log-table tbody tr[data-log-id]")).ToHaveCountAsync(2);
        Assert.True(await browser.IsSameDocumentAsync(), "the page was reloaded instead of updated in place");
        await Expect(page.Locator("#log-table tr[data-level='Error'] .badge")).ToHaveClassAsync("badge level-error");
        await browser.ScreenshotAsync("structured-logs");

        await page.Locator("#level-select").SelectOptionAsync("Error");
        await Expect(page.Locator("#log-table tbody tr[data-log-id]")).ToHaveCountAsync(1);
        await page.Locator("#log-table a.trace-link").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("probe round");
    }

    /// <summary>
    /// One export round of the stock service and the runner at <paramref name="second"/> after <paramref name="start"/>.
    /// The slow consumer reads 5 updates/s; the service's writes to it complete 3/s faster than that until the flow-control
    /// windows and buffers between the two hold 250 updates, so the gap grows (towards that bound) while the lag behind
    /// the head grows without one.
    /// </summary>
    private static void FeedSecond(TelemetryFeed feed, DateTime start, int second)
    {
        var time = start.AddSeconds(second);
        var generated = 20.0 * second;
        var slowRead = 5.0 * second;
        var buffered = Math.Min(3.0 * second, 250);
        feed.Counter("stock", Sent, "fast", time, generated);
        feed.Counter("stock", Sent, "slow", time, slowRead + buffered);
        // The runner exports a moment later than the stock service, as separate processes do.
        feed.Counter("runner", Received, "fast", time.AddMilliseconds(300), generated + 20 * 0.3);
        feed.Counter("runner", Received, "slow", time.AddMilliseconds(300), slowRead + 5 * 0.3);
        feed.Gauge("stock", "stock.stream.lag", "fast", time, 0);
        feed.Gauge("stock", "stock.stream.lag", "slow", time, generated - slowRead - buffered);
        var writes = (ulong)(20 * second);
        feed.Histogram("stock", "stock.write.blocked.duration", "fast", time, writes * 0.00005, writes, 0, 0, 0, 0);
        var slowWrites = (ulong)(5 * second);
        feed.Histogram("stock", "stock.write.blocked.duration", "slow", time, second * 0.9, slowWrites / 2, 0, 0, slowWrites - slowWrites / 2, 0);
    }

    private static ILocator Figure(IPage page, string consumer, string figure) =>
        page.Locator($"section[data-consumer='{consumer}'] [data-figure='{figure}']");

    private static async Task<double> GapAsync(IPage page, string consumer) =>
        double.Parse(await page.Locator($"section[data-consumer='{consumer}']").GetAttributeAsync("data-gap") ?? "", CultureInfo.InvariantCulture);
}
