using System.Net;
using AspireProber.Dashboard.Tests.Infrastructure;

namespace AspireProber.Dashboard.Tests.Ui;

/// <summary>The browser-token login over plain HTTP: redirects, 401s, the cookie, wrong tokens, Unsecured mode.</summary>
public sealed class FrontendAuthTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/consolelogs")]
    [InlineData("/traces")]
    [InlineData("/traces/0af7651916cd43dd8448eb211c80319c")]
    [InlineData("/structuredlogs")]
    [InlineData("/metrics")]
    [InlineData("/backpressure")]
    [InlineData("/resources/prober-0")]
    public async Task Pages_without_the_cookie_redirect_to_the_login_page(string path)
    {
        await using var dashboard = await TestDashboard.StartAsync(requireLogin: true);
        using var http = dashboard.CreateClient();

        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("/ui/fragments/resources")]
    [InlineData("/ui/fragments/traces")]
    [InlineData("/ui/fragments/logs")]
    [InlineData("/ui/fragments/metrics")]
    [InlineData("/ui/fragments/backpressure")]
    [InlineData("/ui/events")]
    public async Task Fragments_and_events_without_the_cookie_answer_401(string path)
    {
        await using var dashboard = await TestDashboard.StartAsync(requireLogin: true);
        using var http = dashboard.CreateClient();

        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_telemetry_export_answers_401_without_the_cookie_and_the_export_with_it()
    {
        await using var dashboard = await TestDashboard.StartAsync(requireLogin: true);
        using var http = dashboard.CreateClient();

        using var refused = await http.GetAsync("/api/telemetry/export");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Null(refused.Headers.Location);

        (await http.GetAsync("/login?t=" + TestDashboard.Token)).Dispose();
        using var export = await http.GetAsync("/api/telemetry/export");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("application/json", export.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task The_login_page_says_where_the_login_url_is_printed()
    {
        await using var dashboard = await TestDashboard.StartAsync(requireLogin: true);
        using var http = dashboard.CreateClient();

        var html = await http.GetStringAsync("/login");

        Assert.Contains("Login to the dashboard at", html);
        Assert.DoesNotContain("class=\"error\"", html);
    }

    [Fact]
    public async Task A_wrong_token_shows_the_login_page_with_an_error_and_sets_no_cookie()
    {
        await using var dashboard = await TestDashboard.StartAsync(requireLogin: true);
        var cookies = new CookieContainer();
        using var http = dashboard.CreateClient(cookies);

        using var response = await http.GetAsync("/login?t=" + TestDashboard.Token + "x");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("not this dashboard", await response.Content.ReadAsStringAsync());
        Assert.Empty(cookies.GetCookies(dashboard.UiUrl));
        using var page = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
    }

    [Fact]
    public async Task The_right_token_sets_a_cookie_that_opens_pages_and_fragments()
    {
        await using var dashboard = await TestDashboard.StartAsync(requireLogin: true);
        using var http = dashboard.CreateClient();

        using var login = await http.GetAsync("/login?t=" + TestDashboard.Token);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/", login.Headers.Location!.OriginalString);

        using var page = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("runs standalone", await page.Content.ReadAsStringAsync());
        using var fragment = await http.GetAsync("/ui/fragments/resources");
        Assert.Equal(HttpStatusCode.OK, fragment.StatusCode);
    }

    [Fact]
    public async Task A_cookie_issued_under_another_token_is_refused()
    {
        var cookies = new CookieContainer();
        await using (var first = await TestDashboard.StartAsync(requireLogin: true))
        {
            using var http = first.CreateClient(cookies);
            (await http.GetAsync("/login?t=" + TestDashboard.Token)).Dispose();
        }
        await using var second = await TestDashboard.StartAsync(requireLogin: true, token: "another-token");
        var cookie = cookies.GetAllCookies().Single();
        var carried = new CookieContainer();
        carried.Add(second.UiUrl, new Cookie(cookie.Name, cookie.Value));
        using var client = second.CreateClient(carried);

        using var page = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
    }

    [Fact]
    public async Task Unsecured_mode_opens_pages_without_logging_in()
    {
        await using var dashboard = await TestDashboard.StartAsync();
        using var http = dashboard.CreateClient();

        using var page = await http.GetAsync("/");
        using var login = await http.GetAsync("/login");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
    }
}
