using System.Diagnostics.Metrics;
using System.Net;
using AspireProber.ServiceDefaults.Tests.Infrastructure;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static AspireProber.ServiceDefaults.Tests.Infrastructure.Exposition;

namespace AspireProber.ServiceDefaults.Tests;

/// <summary>
/// /metrics on a real service (OpenTelemetry's Prometheus exporter): the names, types and labels the Grafana dashboards
/// and the backpressure view rely on, which instruments are subscribed, and where the endpoint answers.
/// </summary>
public sealed class MetricsEndpointTests : IAsyncLifetime
{
    // A unique meter per test class instance: every MeterProvider in the test process sees every "AspireProber.*" meter.
    private readonly Meter _meter = new("AspireProber.Tests.Metrics." + Guid.NewGuid().ToString("N"));
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _meter.Dispose();
    }

    [Fact]
    public async Task Counter_with_annotation_unit_is_a_total_per_label_set()
    {
        var sent = _meter.CreateCounter<long>("stock.updates.sent", "{update}", "Stock updates written to a stream.");
        sent.Add(3, new KeyValuePair<string, object?>("consumer", "fast"));
        sent.Add(1, new KeyValuePair<string, object?>("consumer", "slow"));
        sent.Add(2, new KeyValuePair<string, object?>("consumer", "fast"));

        var (text, contentType) = await _app.ScrapeAsync();

        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", contentType);
        Assert.Equal("counter", Comment(text, "TYPE", "stock_updates_sent_total"));
        Assert.Equal("Stock updates written to a stream.", Comment(text, "HELP", "stock_updates_sent_total"));
        Assert.Equal("5", Value(text, "stock_updates_sent_total", ("consumer", "fast")));
        Assert.Equal("1", Value(text, "stock_updates_sent_total", ("consumer", "slow")));
        Assert.DoesNotContain("stock_updates_sent_update", text);
        AssertWellFormed(text);
    }

    [Fact]
    public async Task Histogram_in_milliseconds_has_cumulative_buckets_sum_and_count()
    {
        var duration = _meter.CreateHistogram<double>("prober.attempt.duration", "ms", "Duration of one probe attempt.");
        var endpoint = new KeyValuePair<string, object?>("endpoint", "http://127.0.0.1/fast");
        duration.Record(3, endpoint);
        duration.Record(30, endpoint);
        duration.Record(20000, endpoint);

        var (text, _) = await _app.ScrapeAsync();

        Assert.Equal("histogram", Comment(text, "TYPE", "prober_attempt_duration_milliseconds"));
        var buckets = Samples(text, "prober_attempt_duration_milliseconds_bucket");
        // The SDK's default bounds: 0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000, +Inf.
        Assert.Equal(16, buckets.Count);
        Assert.Equal("0", Value(text, "prober_attempt_duration_milliseconds_bucket", ("le", "0")));
        Assert.Equal("1", Value(text, "prober_attempt_duration_milliseconds_bucket", ("le", "5")));
        Assert.Equal("1", Value(text, "prober_attempt_duration_milliseconds_bucket", ("le", "25")));
        Assert.Equal("2", Value(text, "prober_attempt_duration_milliseconds_bucket", ("le", "50")));
        Assert.Equal("2", Value(text, "prober_attempt_duration_milliseconds_bucket", ("le", "10000")));
        Assert.Equal("3", Value(text, "prober_attempt_duration_milliseconds_bucket", ("le", "+Inf")));
        Assert.EndsWith("le=\"+Inf\"} 3", buckets[^1]);
        Assert.Equal("20033", Value(text, "prober_attempt_duration_milliseconds_sum", ("endpoint", "http://127.0.0.1/fast")));
        Assert.Equal("3", Value(text, "prober_attempt_duration_milliseconds_count", ("endpoint", "http://127.0.0.1/fast")));
        AssertWellFormed(text);
    }

    [Fact]
    public async Task Gauges_keep_their_unit_suffix_and_count_units_add_none()
    {
        // The services' gauges: the prober's last latency in seconds and the stream lag in updates.
        var latency = 0.0125;
        _meter.CreateObservableGauge("prober.probe.latency", () => new Measurement<double>(latency, new KeyValuePair<string, object?>("endpoint", "a")), "s", "Latency of the last probe.");
        _meter.CreateObservableGauge("stock.stream.lag", () => 5L, "{update}", "Updates not yet sent.");

        var (text, _) = await _app.ScrapeAsync();

        Assert.Equal("gauge", Comment(text, "TYPE", "prober_probe_latency_seconds"));
        Assert.Equal("0.0125", Value(text, "prober_probe_latency_seconds", ("endpoint", "a")));
        Assert.Equal("gauge", Comment(text, "TYPE", "stock_stream_lag"));
        Assert.Equal("5", Value(text, "stock_stream_lag"));
        AssertWellFormed(text);
    }

    [Fact]
    public async Task Target_info_carries_the_resource_and_service_name_defaults_to_the_application()
    {
        var (text, _) = await _app.ScrapeAsync();

        var info = Assert.Single(Samples(text, "target_info"));
        Assert.Contains($"service_name=\"{TestApp.ApplicationName}\"", info);
        Assert.Contains("telemetry_sdk_name=\"opentelemetry\"", info);
        Assert.EndsWith(" 1", info);
    }

    [Fact]
    public async Task Each_scrape_collects_fresh_and_concurrent_scrapes_all_succeed()
    {
        var counter = _meter.CreateCounter<long>("fresh.test", "{event}", "Events.");
        counter.Add(1);
        Assert.Equal("1", Value((await _app.ScrapeAsync()).Text, "fresh_test_total"));
        counter.Add(1);
        Assert.Equal("2", Value((await _app.ScrapeAsync()).Text, "fresh_test_total"));

        var scrapes = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => _app.ScrapeAsync(openMetrics: i % 2 == 0)));
        Assert.All(scrapes, scrape =>
        {
            Assert.Equal("2", Value(scrape.Text, "fresh_test_total"));
            Assert.Equal(scrape.ContentType.StartsWith("application/openmetrics-text", StringComparison.Ordinal), scrape.Text.EndsWith("# EOF\n", StringComparison.Ordinal));
        });
    }

    [Fact]
    public async Task The_defaults_subscribe_to_aspnetcore_kestrel_runtime_grpc_and_our_own_meters()
    {
        // A meter of ours is any named AspireProber.* (this class's _meter).
        _meter.CreateCounter<long>("app.own.events", "{event}", "Events of the app's own meter.").Add(1);
        await new Health.HealthClient(_app.Channel).CheckAsync(new HealthCheckRequest());
        await _app.Http.GetAsync("/alive");

        var (text, _) = await _app.ScrapeAsync();

        Assert.Equal("1", Value(text, "app_own_events_total"));
        Assert.NotEmpty(Samples(text, "http_server_request_duration_seconds_count"));   // Microsoft.AspNetCore.Hosting
        Assert.NotEmpty(Samples(text, "kestrel_active_connections"));                   // Microsoft.AspNetCore.Server.Kestrel
        Assert.NotEmpty(Samples(text, "dotnet_gc_collections_total"));                  // System.Runtime
        // gRPC calls are ASP.NET Core requests routed /package.Service/Method, tagged with their gRPC status.
        Assert.NotEqual("0", Value(text, "http_server_request_duration_seconds_count", ("http_route", "/grpc.health.v1.Health/Check"), ("rpc_grpc_status_code", "0")));
        Assert.NotEmpty(Samples(text, "http_client_request_duration_seconds_count"));  // the gRPC client's HttpClient
        AssertWellFormed(text);
    }

    [Fact]
    public async Task Metrics_and_health_answer_only_on_the_http_endpoint()
    {
        using var http2 = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        foreach (var path in new[] { "/metrics", "/health", "/alive" })
        {
            using var onGrpc = await http2.GetAsync(new Uri(_app.GrpcAddress, path));
            Assert.Equal(HttpStatusCode.NotFound, onGrpc.StatusCode);
            using var onHttp = await _app.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, onHttp.StatusCode);
        }
    }
}
