using System.Net;
using AspireProber.Dashboard.Components.Live;
using AspireProber.Dashboard.Tests.Infrastructure;
using AspireProber.Dashboard.Tests.ResourceService;
using AspireProber.ProbeRunner.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AspireProber.Dashboard.Tests.Ui;

/// <summary>The UI's non-page endpoints over plain HTTP: the event stream and the command form's target.</summary>
public sealed class UiEndpointTests
{
    [Fact]
    public async Task The_event_stream_carries_each_published_topic()
    {
        await using var dashboard = await TestDashboard.StartAsync(requireLogin: true);
        using var http = await LoggedInClientAsync(dashboard);
        using var response = await http.GetAsync("/ui/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal(": connected", await ReadLineAsync(reader));
        Assert.Equal("", await ReadLineAsync(reader));

        dashboard.Services.GetRequiredService<LiveUpdates>().Publish("traces");

        Assert.Equal("data: traces", await ReadLineAsync(reader));
    }

    [Fact]
    public async Task The_event_stream_ends_when_the_dashboard_stops()
    {
        var dashboard = await TestDashboard.StartAsync(requireLogin: true);
        await using (dashboard)
        {
            using var http = await LoggedInClientAsync(dashboard);
            using var response = await http.GetAsync("/ui/events", HttpCompletionOption.ResponseHeadersRead);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            Assert.Equal(": connected", await ReadLineAsync(reader));

            // Well under the host's 30 s shutdown timeout: the stream must end on ApplicationStopping, not be cut at the deadline.
            await dashboard.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

            Assert.Equal("", await ReadLineAsync(reader));
            Assert.Null(await ReadLineAsync(reader));
        }
    }

    [Fact]
    public async Task A_command_post_without_an_antiforgery_token_is_refused_and_not_sent()
    {
        var fake = new FakeResourceService();
        fake.Upsert(FakeResourceService.Project("prober-0", "Running"));
        await using var service = await KestrelGrpcServer.StartAsync(fake);
        await using var dashboard = await TestDashboard.StartAsync(resourceService: service.Address, requireLogin: true);
        using var http = await LoggedInClientAsync(dashboard);

        using var response = await http.PostAsync("/ui/resources/prober-0/commands/stop", new FormUrlEncodedContent([new("returnUrl", "/")]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(fake.Commands);
    }

    private static Task<string?> ReadLineAsync(StreamReader reader) => reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));

    private static async Task<HttpClient> LoggedInClientAsync(TestDashboard dashboard)
    {
        var http = dashboard.CreateClient();
        using var login = await http.GetAsync("/login?t=" + TestDashboard.Token);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        return http;
    }
}
