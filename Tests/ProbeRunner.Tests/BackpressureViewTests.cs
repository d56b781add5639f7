using System.Net;
using System.Text.Json;
using AspireProber.ProbeRunner.Tests.Infrastructure;

namespace AspireProber.ProbeRunner.Tests;

/// <summary>
/// The runner's backpressure view without a Prometheus to read: the page is served, and its data endpoint says what is
/// wrong (503 with a problem detail naming the address) instead of hanging or showing zeros. With the AppHost's real
/// Prometheus, Tests/AppHost.Tests reads it in chromium.
/// </summary>
public sealed class BackpressureViewTests
{
    [Fact]
    public async Task The_page_is_served_as_html_and_polls_the_consumers_endpoint()
    {
        await using var runner = await RunnerApp.StartAsync();
        using var http = new HttpClient { BaseAddress = runner.HttpAddress };

        using var response = await http.GetAsync("/backpressure");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("fetch('/backpressure/consumers'", page);
        Assert.Contains("sent vs received", page);
    }

    [Fact]
    public async Task With_Prometheus_not_listening_the_consumers_endpoint_answers_503_naming_its_address()
    {
        var port = KestrelGrpcServer.FreePort();   // free: nothing listens there
        await using var runner = await RunnerApp.StartAsync(("services:prometheus:http:0", $"http://127.0.0.1:{port}"));
        using var http = new HttpClient { BaseAddress = runner.HttpAddress };

        using var response = await http.GetAsync("/backpressure/consumers").WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains($"127.0.0.1:{port}", detail);
        Assert.Contains("services__prometheus__http__0", detail);
    }
}
