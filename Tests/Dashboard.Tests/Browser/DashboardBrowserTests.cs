using Aspire.DashboardService.Proto.V1;
using AspireProber.Dashboard.Tests.ResourceService;
using AspireProber.Dashboard.Tests.Infrastructure;
using AspireProber.ProbeRunner.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AspireProber.Dashboard.Tests.Browser;

/// <summary>
/// The UI in a real browser: login, the resources page with live state changes and a stop command, the console
/// page's live tail, masked secrets. The dashboard runs in-process; its resource service is the in-test fake.
/// Screenshots: Tests/Dashboard.Tests/bin/{Configuration}/net10.0/screenshots/.
/// </summary>
public sealed class DashboardBrowserTests
{
    static DashboardBrowserTests() => SetDefaultExpectTimeout(15_000);

    [Fact]
    public async Task Without_the_token_the_ui_refuses_and_the_login_url_lets_the_user_in()
    {
        await using var fixture = await Fixture.StartAsync(loggedIn: false);
        var page = fixture.Browser.Page;

        await page.GotoAsync("/");
        Assert.EndsWith("/login", page.Url);
        await Expect(page.Locator("body")).ToContainTextAsync("Login to the dashboard at");
        var api = await page.APIRequest.GetAsync("/ui/fragments/resources");
        Assert.Equal(401, api.Status);
        await page.GotoAsync("/login?t=wrong");
        await Expect(page.Locator(".error")).ToContainTextAsync("not this dashboard");
        await fixture.Browser.ScreenshotAsync("login-refused");

        await page.GotoAsync("/login?t=" + TestDashboard.Token);

        Assert.Equal(fixture.Dashboard.UiUrl.ToString(), page.Url);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Resources");
        Assert.Equal(200, (await page.APIRequest.GetAsync("/ui/fragments/resources")).Status);
    }

    [Fact]
    public async Task The_resources_page_lists_every_replica_and_shows_state_changes_without_a_reload()
    {
        await using var fixture = await Fixture.StartAsync();
        var page = fixture.Browser.Page;
        await page.GotoAsync("/");
        await Expect(page.Locator("#resource-table tbody tr")).ToHaveCountAsync(3);
        await Expect(State(page, "prober-0")).ToHaveTextAsync("Running");
        await Expect(State(page, "prober-1")).ToHaveTextAsync("Running");
        await Expect(State(page, "runner")).ToHaveTextAsync("Starting");
        await Expect(page.Locator("tr[data-resource='prober-1'] a.endpoint")).ToHaveAttributeAsync("href", "http://127.0.0.1:5001");
        await fixture.Browser.MarkDocumentAsync();

        fixture.Service.Upsert(FakeResourceService.Project("runner", "FailedToStart", "error"));

        await Expect(State(page, "runner")).ToHaveTextAsync("FailedToStart");
        await Expect(State(page, "runner")).ToHaveClassAsync("badge state-error");
        Assert.True(await fixture.Browser.IsSameDocumentAsync(), "the page was reloaded instead of updated in place");
        await fixture.Browser.ScreenshotAsync("resources");
    }

    [Fact]
    public async Task The_stop_button_sends_the_command_and_shows_its_outcome()
    {
        await using var fixture = await Fixture.StartAsync();
        var page = fixture.Browser.Page;
        await page.GotoAsync("/");

        await page.Locator("button[data-command='stop'][data-resource='prober-1']").ClickAsync();

        await Expect(page.Locator("#notice")).ToContainTextAsync("stop prober-1: done");
        var command = Assert.Single(fixture.Service.Commands);
        Assert.Equal(("stop", "prober-1", "Project"), (command.CommandName, command.ResourceName, command.ResourceType));
        await Expect(State(page, "prober-1")).ToHaveTextAsync("Exited");
        await fixture.Browser.ScreenshotAsync("resources-after-stop");
    }

    [Fact]
    public async Task The_console_page_tails_new_lines_live_marks_stderr_and_filters()
    {
        await using var fixture = await Fixture.StartAsync();
        var page = fixture.Browser.Page;
        fixture.Service.Print("prober-0", "listening on grpc");
        await page.GotoAsync("/consolelogs?resource=prober-0");
        await Expect(page.Locator("#console .line")).ToHaveCountAsync(1);
        await fixture.Browser.MarkDocumentAsync();

        fixture.Service.Print("prober-0", "probe of http://target took 12 ms");
        fixture.Service.Print("prober-0", "target refused the connection", stdErr: true);

        await Expect(page.Locator("#console .line")).ToHaveCountAsync(3);
        await Expect(page.Locator("#console .line.stderr")).ToContainTextAsync("target refused the connection");
        Assert.True(await fixture.Browser.IsSameDocumentAsync(), "the page was reloaded instead of updated in place");
        await fixture.Browser.ScreenshotAsync("console-logs");

        await page.Locator("#filter").FillAsync("PROBE OF");
        await Expect(page.Locator("#console .line")).ToHaveCountAsync(1);
        await Expect(page.Locator("#console .line")).ToContainTextAsync("took 12 ms");
        Assert.Contains("filter=PROBE", page.Url);
    }

    [Fact]
    public async Task The_details_page_shows_health_reports_and_keeps_secret_values_masked_until_revealed()
    {
        await using var fixture = await Fixture.StartAsync();
        var page = fixture.Browser.Page;
        var resource = FakeResourceService.Project("prober-0", "Running");
        resource.Environment.Add(new EnvironmentVariable { Name = "OTEL_EXPORTER_OTLP_HEADERS", Value = "x-otlp-api-key=h3aders-s3cret", IsFromSpec = true });
        resource.Environment.Add(new EnvironmentVariable { Name = "Stock__ApiKey", Value = "k3y-s3cret", IsFromSpec = true });
        resource.Environment.Add(new EnvironmentVariable { Name = "ASPNETCORE_URLS", Value = "http://127.0.0.1:5000", IsFromSpec = true });
        resource.HealthReports.Add(new HealthReport { Key = "grpc", Status = HealthStatus.Healthy, Description = "serving" });
        resource.HealthReports.Add(new HealthReport { Key = "target", Status = HealthStatus.Unhealthy, Description = "connection refused" });
        fixture.Service.Upsert(resource);

        await page.GotoAsync("/resources/prober-0");

        await Expect(page.Locator(".facts .health-unhealthy")).ToHaveTextAsync("Unhealthy");
        await Expect(page.Locator("#health-reports tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("#health-reports")).ToContainTextAsync("connection refused");

        await Expect(page.Locator("tr[data-env='ASPNETCORE_URLS'] .value")).ToContainTextAsync("http://127.0.0.1:5000");
        await Expect(page.Locator("tr[data-env='Stock__ApiKey'] .masked")).ToBeVisibleAsync();
        var html = await page.ContentAsync();
        Assert.DoesNotContain("s3cret", html);
        await fixture.Browser.ScreenshotAsync("resource-details");

        await page.Locator("tr[data-env='OTEL_EXPORTER_OTLP_HEADERS'] a.reveal").ClickAsync();

        await Expect(page.Locator("tr[data-env='OTEL_EXPORTER_OTLP_HEADERS'] .value")).ToContainTextAsync("x-otlp-api-key=h3aders-s3cret");
        Assert.DoesNotContain("k3y-s3cret", await page.ContentAsync());
    }

    private static ILocator State(IPage page, string resource) => page.Locator($"tr[data-resource='{resource}'] [data-state]");

    /// <summary>Fake resource service, in-process dashboard and a browser (logged in unless asked not to); all stopped on dispose.</summary>
    private sealed class Fixture : IAsyncDisposable
    {
        private readonly KestrelGrpcServer _serviceHost;

        private Fixture(KestrelGrpcServer serviceHost, FakeResourceService service, TestDashboard dashboard, BrowserSession browser)
        {
            _serviceHost = serviceHost;
            Service = service;
            Dashboard = dashboard;
            Browser = browser;
        }

        public FakeResourceService Service { get; }

        public TestDashboard Dashboard { get; }

        public BrowserSession Browser { get; }

        public static async Task<Fixture> StartAsync(bool loggedIn = true)
        {
            var fake = new FakeResourceService();
            fake.Upsert(FakeResourceService.Project("prober-0", "Running"), FakeResourceService.Project("prober-1", "Running", "success", 1),
                FakeResourceService.Project("runner", "Starting", "info"));
            var serviceHost = await KestrelGrpcServer.StartAsync(fake);
            TestDashboard? dashboard = null;
            Fixture fixture;
            try
            {
                dashboard = await TestDashboard.StartAsync(resourceService: serviceHost.Address, requireLogin: true);
                fixture = new Fixture(serviceHost, fake, dashboard, await BrowserSession.StartAsync(dashboard.UiUrl));
            }
            catch
            {
                if (dashboard is not null)
                {
                    await dashboard.DisposeAsync();
                }
                await serviceHost.DisposeAsync();
                throw;
            }
            try
            {
                if (loggedIn)
                {
                    await fixture.Browser.Page.GotoAsync("/login?t=" + TestDashboard.Token);
                }
                return fixture;
            }
            catch
            {
                await fixture.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await Browser.DisposeAsync();
            }
            finally
            {
                await Dashboard.DisposeAsync();
                await _serviceHost.DisposeAsync();
            }
        }
    }
}
