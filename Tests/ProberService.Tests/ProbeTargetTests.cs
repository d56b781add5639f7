using System.Net;
using AspireProber.ProberService.Tests.Infrastructure;
using static AspireProber.ProberService.Tests.Infrastructure.TestUtil;

namespace AspireProber.ProberService.Tests;

/// <summary>ProbeTarget's endpoints, called directly over HTTP/1.1.</summary>
public sealed class ProbeTargetTests : IAsyncLifetime
{
    private TargetHost _target = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _target = await TargetHost.StartAsync();
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = _target.Address };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _target.DisposeAsync();
    }

    [Theory]
    [InlineData("/fast", 200)]
    [InlineData("/slow?ms=5", 200)]
    [InlineData("/status/503", 503)]
    [InlineData("/flaky?failure_rate=0", 200)]
    [InlineData("/flaky?failure_rate=1", 500)]
    [InlineData("/bytes?size=0", 200)]
    [InlineData("/redirect?to=/fast", 302)]
    [InlineData("/redirect?to=http://example.com/&code=308", 308)]
    public async Task Endpoints_answer_as_scripted(string path, int status)
    {
        using var response = await _http.GetAsync(path);
        Assert.Equal(status, (int)response.StatusCode);
    }

    [Fact]
    public async Task Bytes_sends_exactly_the_size_asked()
    {
        var body = await _http.GetByteArrayAsync("/bytes?size=100001");
        Assert.Equal(100_001, body.Length);
    }

    [Fact]
    public async Task Redirect_sets_the_location()
    {
        using var response = await _http.GetAsync("/redirect?to=/status/418");
        Assert.Equal("/status/418", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("/slow?ms=abc", "'ms'")]
    [InlineData("/slow?ms=-1", "'ms'")]
    [InlineData("/slow?ms=600000", "'ms'")]
    [InlineData("/status/99", "status code")]
    [InlineData("/status/abc", "status code")]
    [InlineData("/flaky?failure_rate=1.5", "'failure_rate'")]
    [InlineData("/bytes?size=20000000", "'size'")]
    [InlineData("/redirect", "'to'")]
    [InlineData("/redirect?to=//evil.example/", "'to'")]
    [InlineData("/redirect?to=/fast&code=200", "'code'")]
    [InlineData("/redirect?to=/fast&code=305", "'code'")]
    public async Task Bad_parameters_get_400_saying_what_to_fix(string path, string names)
    {
        using var response = await _http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(names, text);
        Assert.Contains("e.g.", text.Contains("one of") ? "e.g." : text);
    }

    [Fact]
    public async Task Hang_waits_until_the_client_leaves_and_counts_itself()
    {
        using var cts = new CancellationTokenSource();
        var request = _http.GetAsync("/hang", cts.Token);
        await Eventually(() => _target.Activity.HangingRequests == 1, "the request to hang");
        Assert.False(request.IsCompleted);

        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        await Eventually(() => _target.Activity.HangingRequests == 0, "the hang to notice the client left");
    }
}
