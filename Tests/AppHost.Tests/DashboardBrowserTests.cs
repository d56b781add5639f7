using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AspireProber.AppHost.Tests;

/// <summary>
/// The Aspire dashboard the AppHost starts, in chromium: the login URL (what <c>dotnet run --project AppHost</c>
/// prints) lets a browser in, every replica is listed, and one probe's trace shows all three services.
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
        var (traceId, _, replica) = await TraceEndToEndTests.ProbeAnyInNewTraceAsync(system);
        await TraceEndToEndTests.WaitForTraceAsync(system.Dashboard, system.DashboardApiKey, traceId);
        await using var browser = await BrowserSession.StartAsync(system.Dashboard);
        await browser.Page.GotoAsync(system.DashboardLogin.ToString());

        await browser.Page.GotoAsync($"/traces/detail/{traceId}");

        await Expect(browser.Page.GetByText("runner.v1.Runner/ProbeAny").First).ToBeVisibleAsync();
        await Expect(browser.Page.GetByText(replica).First).ToBeVisibleAsync();
        await Expect(browser.Page.GetByText("probetarget").First).ToBeVisibleAsync();
        await browser.ScreenshotAsync("dashboard-trace");
    }
}
