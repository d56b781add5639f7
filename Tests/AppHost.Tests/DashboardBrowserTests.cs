using Aspire.Hosting.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AspireProber.AppHost.Tests;

/// <summary>
/// The Aspire dashboard the AppHost starts, in chromium: the login URL (what <c>dotnet run --project AppHost</c>
/// prints) lets a browser in, every replica is listed, one probe's trace shows all three services, and the runner's
/// backpressure view is linked and shows sent vs received per consumer.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class DashboardBrowserTests(SystemFixture system)
{
    [Fact]
    public async Task Without_the_token_a_browser_is_sent_to_the_login_page()
    {
        await using var browser = await BrowserSession.StartAsync(system.Dashboard);

        await browser.Page.GotoAsync("/");

        await Expect(browser.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login"));
    }

    [Fact]
    public async Task The_login_URL_opens_the_resources_page_listing_every_replica()
    {
        await using var browser = await BrowserSession.StartAsync(system.Dashboard);

        await browser.Page.GotoAsync(system.DashboardLogin.ToString());

        // A resource with replicas is listed with each replica's id (prober-<suffix>: the one Prometheus labels
        // `instance` and the prober names itself by in its replies); the others by their name.
        foreach (var (resource, replicas) in RunningApp.SystemReplicas)
        {
            var names = replicas > 1 ? (await RunningApp.ProcessesAsync(system.App, resource)).Keys.ToArray() : [resource];
            foreach (var name in names)
            {
                await Expect(browser.Page.GetByText(name, new() { Exact = true }).First).ToBeVisibleAsync();
            }
        }
        await browser.ScreenshotAsync("dashboard-resources");
    }

    [Fact]
    public async Task A_probes_trace_page_shows_the_runner_the_replica_that_answered_and_probetarget()
    {
        var (traceId, callerSpanId, replica) = await TraceEndToEndTests.ProbeAnyInNewTraceAsync(system);
        await TraceEndToEndTests.WaitForTraceAsync(system.Dashboard, system.DashboardApiKey, traceId, callerSpanId);
        await using var browser = await BrowserSession.StartAsync(system.Dashboard);
        await browser.Page.GotoAsync(system.DashboardLogin.ToString());

        await browser.Page.GotoAsync($"/traces/detail/{traceId}");

        await Expect(browser.Page.GetByText("runner.v1.Runner/ProbeAny").First).ToBeVisibleAsync();
        await Expect(browser.Page.GetByText(replica).First).ToBeVisibleAsync();
        await Expect(browser.Page.GetByText("probetarget").First).ToBeVisibleAsync();
        await browser.ScreenshotAsync("dashboard-trace");
    }

    [Fact]
    public async Task The_runners_backpressure_link_opens_a_live_view_where_the_slow_consumer_has_more_in_flight()
    {
        await using var browser = await BrowserSession.StartAsync(system.Dashboard);
        await browser.Page.GotoAsync(system.DashboardLogin.ToString());

        // The resources page lists the runner's URLs; WithUrlForEndpoint named the http one after the view.
        var link = browser.Page.GetByRole(AriaRole.Link, new() { Name = "Backpressure: sent vs received" });
        await Expect(link).ToBeVisibleAsync();
        var href = new Uri((await link.GetAttributeAsync("href"))!);
        Assert.Equal(new Uri(system.App.GetEndpoint("runner", "http"), "/backpressure"), href);

        await browser.Page.GotoAsync(href.ToString());

        // Read from the AppHost's Prometheus: both consumers' rows, and within a minute the slow one (1-3 s per
        // update) holds clearly more updates in flight than the fast one, whose reads keep up with the stock
        // service's 10 updates/s (its in flight is only the skew between the two scrapes). The chart has drawn a
        // few readings by then.
        await Expect(browser.Page.Locator("tr[data-consumer=fast]")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(browser.Page.Locator("tr[data-consumer=slow]")).ToBeVisibleAsync();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        (double Fast, double Slow) inFlight;
        while ((inFlight = (await InFlightAsync(browser.Page, "fast"), await InFlightAsync(browser.Page, "slow"))).Slow <= inFlight.Fast + 30
               || await ChartedReadingsAsync(browser.Page) < 5)
        {
            Assert.True(DateTime.UtcNow < deadline, $"in flight after 60 s: fast {inFlight.Fast}, slow {inFlight.Slow}");
            await Task.Delay(1000);
        }
        Assert.DoesNotContain("error", await browser.Page.Locator("#status").GetAttributeAsync("class") ?? "");
        await browser.ScreenshotAsync("backpressure-view");
    }

    // How many readings the chart's first line has drawn.
    private static Task<int> ChartedReadingsAsync(IPage page) =>
        page.EvaluateAsync<int>("() => document.querySelector('#chart polyline')?.getAttribute('points').split(' ').length ?? 0");

    // The "in flight" column (sent − received) of a consumer's row, as the page shows it (e.g. "1,234").
    private static async Task<double> InFlightAsync(IPage page, string consumer) =>
        double.Parse((await page.Locator($"tr[data-consumer={consumer}] td").Nth(3).InnerTextAsync()).Replace(",", ""),
            System.Globalization.CultureInfo.InvariantCulture);
}
