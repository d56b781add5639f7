using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using AspireProber.Prober.V1;
using AspireProber.ProberService.Tests.Infrastructure;
using AspireProber.ServiceDefaults;
using AspireProber.Tests.Shared;
using Google.Rpc;
using Microsoft.Extensions.Logging;
using static AspireProber.ProberService.Tests.Infrastructure.TestUtil;

namespace AspireProber.ProberService.Tests;

/// <summary>Tests that scrape /metrics: every prober of the test process is in it (the exporter subscribes by meter name), so they run alone.</summary>
[CollectionDefinition(nameof(HostileInputTests), DisableParallelization = true)]
public sealed class ScrapeCollection;

/// <summary>
/// What a careless or hostile caller can put into one request stays bounded: the request's size, the error it gets,
/// and the labels, span attributes and log fields it leaves behind. The replica keeps serving afterwards.
/// </summary>
[Collection(nameof(HostileInputTests))]
public sealed partial class HostileInputTests
{
    /// <summary>What a scrape of one replica may weigh after any sequence of requests.</summary>
    private const int MaxScrapeBytes = 512 * 1024;

    [Fact]
    public async Task A_4_MB_endpoint_is_refused_as_RESOURCE_EXHAUSTED_before_it_is_parsed()
    {
        await using var target = await TargetHost.StartAsync();
        await using var prober = await ProberHost.StartAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => prober.Client.ProbeAsync(
            new ProbeRequest { Endpoint = target.Url("/fast?q=" + new string('A', 4 * 1024 * 1024)), Repetitions = 1 }).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Contains("exceeds the maximum", ex.Status.Detail);
        Assert.True(ex.Status.Detail.Length < 1024, ex.Status.Detail);
        var reply = await prober.Client.ProbeAsync(new ProbeRequest { Endpoint = target.Url("/fast"), Repetitions = 1 });
        Assert.Equal(1, reply.SuccessCount);
    }

    [Fact]
    public async Task A_9_KB_endpoint_is_INVALID_ARGUMENT_naming_the_field_and_the_limit_without_echoing_it()
    {
        await using var target = await TargetHost.StartAsync();
        await using var prober = await ProberHost.StartAsync();
        var endpoint = target.Url("/fast?q=" + new string('A', 9 * 1024));

        var ex = await Assert.ThrowsAsync<RpcException>(() => prober.Client.ProbeAsync(new ProbeRequest { Endpoint = endpoint, Repetitions = 1 }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        var violation = Assert.Single(ex.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations);
        Assert.Equal("endpoint", violation.Field);
        Assert.Equal($"must be at most 8192 characters (this server's Prober:MaxEndpointLength); got {endpoint.Length}.", violation.Description);
        Assert.True(ex.Status.Detail.Length < 1024, ex.Status.Detail);
    }

    [Fact]
    public async Task A_thousand_distinct_endpoints_leave_a_bounded_promtool_clean_scrape()
    {
        Promtool.AssertInstalled();
        await using var target = await TargetHost.StartAsync();
        await using var prober = await ProberHost.StartAsync();
        var longQuery = new string('q', 1000);

        // Half of them with a long query string (long labels), half on other loopback hosts (other server.address
        // values of .NET's HTTP client metrics); the hosts refuse the connection, which is quick.
        await Parallel.ForAsync(0, 1000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            var endpoint = i % 2 == 0
                ? target.Url($"/fast?i={i}&{longQuery}")
                : $"http://127.0.{i / 250}.{i % 250 + 2}:{target.Address.Port}/fast";
            await prober.Client.ProbeAsync(new ProbeRequest { Endpoint = endpoint, Repetitions = 1 });
        });

        var scrape = await prober.ScrapeMetricsAsync();
        Assert.True(scrape.Length < MaxScrapeBytes, $"/metrics is {scrape.Length:N0} bytes after 1,000 distinct endpoints.");
        var (exitCode, output) = await Promtool.CheckMetricsAsync(scrape);
        Assert.True(exitCode == 0, output);
        var endpointLabels = EndpointLabel().Matches(scrape).Select(match => match.Groups[1].Value).ToHashSet();
        Assert.InRange(endpointLabels.Count, 2, 21);   // Prober:MaxEndpointLabels (20), and "other"
        Assert.Contains(BoundedLabel.Other, endpointLabels);
        Assert.All(endpointLabels, label => Assert.InRange(label.Length, 1, TelemetryValues.MaxLength));
    }

    [Fact]
    public async Task A_long_endpoint_reaches_spans_and_logs_bounded()
    {
        await using var target = await TargetHost.StartAsync();
        var logs = new CapturedLogs();
        await using var prober = await ProberHost.StartAsync(builder => builder.Logging.AddProvider(logs));
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ProbeExecutor.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var endpoint = target.Url("/fast?q=" + new string('A', 5000));

        await prober.Client.ProbeAsync(new ProbeRequest { Endpoint = endpoint, Repetitions = 2 });

        var urls = stopped.Select(activity => activity.GetTagItem("url.full") as string).OfType<string>().ToList();
        Assert.Equal(2, urls.Count);
        Assert.All(urls, url => Assert.Equal(TelemetryValues.MaxLength, url.Length));
        var logged = Assert.Single(logs.Fields("Endpoint"));
        Assert.Equal(urls[0], logged);
    }

    [GeneratedRegex("endpoint=\"([^\"]*)\"")]
    private static partial Regex EndpointLabel();

    /// <summary>Keeps each log record's structured fields.</summary>
    private sealed class CapturedLogs : ILoggerProvider, ILogger
    {
        private readonly ConcurrentQueue<IReadOnlyList<KeyValuePair<string, object?>>> _records = new();

        public IEnumerable<string?> Fields(string name) =>
            _records.SelectMany(fields => fields).Where(field => field.Key == name).Select(field => field.Value?.ToString());

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is IReadOnlyList<KeyValuePair<string, object?>> fields)
            {
                _records.Enqueue([.. fields]);
            }
        }

        public void Dispose()
        {
        }
    }
}
