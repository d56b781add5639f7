using System.Globalization;
using System.Text.RegularExpressions;
using AspireProber.Dashboard.Tests.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AspireProber.AppHost.Tests;

/// <summary>
/// The dashboard the AppHost adds, in chromium, over the real system (no fake resource service, no synthetic
/// telemetry): login with the printed token, every resource's state, a probe's trace from the runner through a prober
/// replica to the probe target, and the slow stock consumer falling behind. Screenshots go to screenshots/live-*.png.
/// </summary>
public sealed class DashboardEndToEndTests
{
    private static readonly TimeSpan s_healthyLimit = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan s_telemetryLimit = TimeSpan.FromSeconds(30);

    private static readonly string[] s_running = ["probetarget-0", "prober-0", "prober-1", "prober-2", "prometheus-0", "runner-0", "stock-0"];

    static DashboardEndToEndTests() => SetDefaultExpectTimeout(15_000);

    [Fact]
    public async Task The_dashboard_shows_the_running_system_a_probe_trace_across_runner_prober_and_target_and_the_slow_consumer_falling_behind()
    {
        await using var appHost = AppHostProcess.Start();
        await appHost.WaitForAllHealthyAsync(AppHostProcess.Replicas, s_healthyLimit);
        var loginUrl = await appHost.WaitForDashboardLoginUrlAsync(TimeSpan.FromSeconds(5));
        // Without a container engine Grafana cannot start; the rest of the system does not depend on it.
        await appHost.WaitForStateAsync("grafana-0", "RuntimeUnavailable", s_healthyLimit);

        await using var browser = await BrowserSession.StartAsync(new Uri(loginUrl.GetLeftPart(UriPartial.Authority)));
        var page = browser.Page;

        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/login$"));
        await page.GotoAsync(loginUrl.ToString());
        await Expect(page.Locator("h1")).ToHaveTextAsync("Resources");

        // Every replica of the model; the dashboard, as in Aspire, does not list itself.
        await Expect(page.Locator("#resource-table tbody tr[data-resource]")).ToHaveCountAsync(s_running.Length + 1);
        var names = await page.Locator("#resource-table tbody tr[data-resource]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.resource)");
        Assert.Equal(s_running.Append("grafana-0").Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
        foreach (var replica in s_running)
        {
            await Expect(Row(page, replica).Locator("[data-state]")).ToHaveTextAsync("Running");
            await Expect(Row(page, replica).Locator(".health-healthy")).ToBeVisibleAsync();
        }
        await Expect(Row(page, "grafana-0").Locator("[data-state]")).ToHaveTextAsync("RuntimeUnavailable");
        await browser.ScreenshotAsync("live-resources");

        // The runner's probe rounds start with its Probe call to a prober replica: the root of each trace.
        await page.GotoAsync("/traces?resource=runner");
        var probeTrace = page.Locator("#trace-table tbody tr[data-trace-id]").Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = "prober.v1.Prober/Probe", Exact = true }) });
        await Expect(probeTrace.First).ToBeVisibleAsync(new() { Timeout = (float)s_telemetryLimit.TotalMilliseconds });
        await browser.ScreenshotAsync("live-traces");
        var traceId = await probeTrace.First.GetAttributeAsync("data-trace-id");
        await probeTrace.First.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/traces/{traceId}$"));
        // Spans are exported by each process on its own schedule: the live waterfall fills in as they arrive.
        var waterfall = page.Locator("#waterfall");
        // The runner's root span is OpenTelemetry's gRPC client span, which reports rpc.response.status_code (newer
        // conventions) rather than the rpc.grpc.status_code this dashboard reads; the prober's server span has it.
        await Expect(waterfall.Locator(".span-row[data-service='runner'][data-depth='0']"))
            .ToBeVisibleAsync(new() { Timeout = (float)s_telemetryLimit.TotalMilliseconds });
        await Expect(waterfall.Locator(".span-row[data-service='prober'] [data-grpc-status='OK (0)']").First)
            .ToBeVisibleAsync(new() { Timeout = (float)s_telemetryLimit.TotalMilliseconds });
        await Expect(waterfall.Locator(".span-row[data-service='probetarget']").First)
            .ToBeVisibleAsync(new() { Timeout = (float)s_telemetryLimit.TotalMilliseconds });
        await browser.ScreenshotAsync("live-trace");

        await page.GotoAsync("/structuredlogs");
        await Expect(page.Locator("#log-table tbody tr[data-log-id]").First).ToBeVisibleAsync();
        await browser.ScreenshotAsync("live-structuredlogs");

        await page.GotoAsync("/metrics?resource=runner&instrument=stock.updates.received");
        await Expect(page.Locator("section.metric-series[data-series='runner/runner-0 · consumer=slow']")).ToBeVisibleAsync();
        await Expect(page.Locator("section.metric-series[data-series='runner/runner-0 · consumer=fast']")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("live-metrics");

        await page.GotoAsync("/backpressure");
        await Expect(page.Locator("section.consumer[data-consumer='fast']")).ToBeVisibleAsync(new() { Timeout = (float)s_telemetryLimit.TotalMilliseconds });
        await Expect(page.Locator("section.consumer[data-consumer='slow']")).ToBeVisibleAsync();
        // The stock service writes 10 updates/s to each consumer; the slow one handles one every 1-3 s. Its updates
        // pile up in the HTTP/2 windows (client stream window, Kestrel's response buffer: ~130 KB, a few thousand
        // small updates), so for the first minutes the service still counts them as sent and the gap (sent -
        // received) grows by ~10/s, while the lag behind the head stays near zero: it only grows once the windows
        // are full and the writes wait — then the gap stops at the windows' size. A test minute sees the first phase.
        var slowGapBefore = await GapAsync(page, "slow");
        var deadline = DateTime.UtcNow + s_telemetryLimit;
        while (await GapAsync(page, "slow") <= slowGapBefore + 20 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500); // The section is re-rendered live whenever new metrics arrive.
        }
        var slowGap = await GapAsync(page, "slow");
        var fastGap = await GapAsync(page, "fast");
        await browser.ScreenshotAsync("live-backpressure");
        Assert.True(slowGap > slowGapBefore + 20, $"The slow consumer's gap did not grow: {slowGapBefore} then {slowGap}.");
        Assert.True(slowGap > fastGap, $"The slow consumer's gap ({slowGap}) is not larger than the fast one's ({fastGap}).");
        // The backlog sits in the windows, not in the service's log: the slow consumer's lag is far below its gap.
        var slowLag = await FigureAsync(page, "slow", "lag");
        Assert.True(slowLag < slowGap / 2, $"The slow consumer's lag ({slowLag}) is not well below its gap ({slowGap}).");
    }

    private static ILocator Row(IPage page, string resource) => page.Locator($"#resource-table tr[data-resource='{resource}']");

    private static async Task<double> FigureAsync(IPage page, string consumer, string figure)
    {
        var text = await page.Locator($"section.consumer[data-consumer='{consumer}'] [data-figure='{figure}']").TextContentAsync();
        return double.Parse(text!, NumberStyles.AllowThousands | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
    }

    private static async Task<double> GapAsync(IPage page, string consumer)
    {
        var gap = await page.Locator($"section.consumer[data-consumer='{consumer}']").GetAttributeAsync("data-gap");
        return string.IsNullOrEmpty(gap) ? 0 : double.Parse(gap, CultureInfo.InvariantCulture);
    }
}
