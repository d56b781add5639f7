using System.Diagnostics;
using System.Net;
using System.Text.Json;
using AspireProber.ProbeRunner.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace AspireProber.ProbeRunner.Tests;

/// <summary>
/// The runner's backpressure view and its two sources: Prometheus when it can be read, and otherwise the stock
/// service's own /metrics (every replica) with the runner's consumers — quickly, without waiting on a Prometheus that
/// is gone — and 503 naming both only when neither can be read. With the AppHost's real Prometheus, Tests/AppHost.Tests
/// reads the page in chromium.
/// </summary>
public sealed class BackpressureViewTests
{
    // Generous for a loaded 2-core machine; a reading that waited on Prometheus' old 3 s timeout fails it.
    private static readonly TimeSpan QuickReading = TimeSpan.FromSeconds(1.5);

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
        Assert.Contains("id=\"source\"", page);
    }

    [Fact]
    public async Task Without_Prometheus_sent_comes_from_every_stock_replicas_metrics_and_received_from_the_runners_consumers()
    {
        var stock = new FakeStockService();
        await using var grpc = await KestrelGrpcServer.StartAsync(stock);
        // Replica 0 exposes what the fake really sent; replica 1 more for fast, and a consumer whose name needs escapes.
        await using var replica0 = await KestrelHttpServer.StartAsync(context => context.Response.WriteAsync(
            "# TYPE stock_updates_sent_total counter\n"
            + $"stock_updates_sent_total{{otel_scope_name=\"AspireProber.Stock\",consumer=\"fast\"}} {stock.Sent("fast")} 1700000000000\n"
            + $"stock_updates_sent_total{{otel_scope_name=\"AspireProber.Stock\",consumer=\"slow\"}} {stock.Sent("slow")}\n"));
        await using var replica1 = await KestrelHttpServer.ServingTextAsync(
            "stock_updates_sent_total{consumer=\"fast\",otel_scope_name=\"AspireProber.Stock\"} 5e0\n"
            + "stock_updates_sent_total{consumer=\"say \\\"hi\\\" \\\\o/\"} 2\n");
        await using var runner = await RunnerApp.StartAsync(
            ("services:stock:grpc:0", grpc.Address.ToString()),
            ("services:stock:http:0", replica0.Address.ToString()),
            ("services:stock:http:1", replica1.Address.ToString()),
            // The slow consumer takes its first update and then holds it: its count stays put while the test reads.
            ("Runner:Consumers:slow:MinDelay", "01:00:00"),
            ("Runner:Consumers:slow:MaxDelay", "01:00:00"));
        using var http = new HttpClient { BaseAddress = runner.HttpAddress };
        var consumers = runner.GetRequiredService<StockConsumersWorker>();
        await Eventually.TrueAsync(() => stock.Requests.Count == 2, "both consumers connected");
        stock.Append(20);
        await Eventually.TrueAsync(() => consumers.Consumers.Single(c => c.Name == "fast").Received == 20
            && consumers.Consumers.Single(c => c.Name == "slow").Received == 1 && stock.Sent("slow") == 20,
            "fast read all 20 updates, slow read one and has the rest in flight");

        var (first, took) = await ReadAsync(http);

        Assert.True(took < QuickReading, $"the reading took {took}");
        Assert.Equal("services", first.GetProperty("source").GetString());
        Assert.Contains("services__prometheus__http__0", first.GetProperty("note").GetString());
        var flows = Flows(first);
        Assert.Equal(["fast", "say \"hi\" \\o/", "slow"], flows.Keys);
        Assert.Equal((25.0, 20.0, 5.0), (flows["fast"].GetProperty("sent").GetDouble(), flows["fast"].GetProperty("received").GetDouble(),
            flows["fast"].GetProperty("inFlight").GetDouble()));
        Assert.Equal((20.0, 1.0, 19.0), (flows["slow"].GetProperty("sent").GetDouble(), flows["slow"].GetProperty("received").GetDouble(),
            flows["slow"].GetProperty("inFlight").GetDouble()));
        Assert.Equal((2.0, 0.0), (flows["say \"hi\" \\o/"].GetProperty("sent").GetDouble(), flows["say \"hi\" \\o/"].GetProperty("received").GetDouble()));
        // The first reading has nothing to compute a rate from.
        Assert.Equal(JsonValueKind.Null, flows["fast"].GetProperty("sentPerSecond").ValueKind);
        Assert.Equal(JsonValueKind.Null, flows["fast"].GetProperty("receivedPerSecond").ValueKind);

        stock.Append(10);
        await Eventually.TrueAsync(() => consumers.Consumers.Single(c => c.Name == "fast").Received == 30, "fast read 10 more");
        var (second, _) = await ReadAsync(http);

        var fast = Flows(second)["fast"];
        Assert.Equal(35, fast.GetProperty("sent").GetDouble());
        Assert.True(fast.GetProperty("sentPerSecond").GetDouble() > 0, fast.ToString());
        Assert.True(fast.GetProperty("receivedPerSecond").GetDouble() > 0, fast.ToString());
        Assert.Equal(0, Flows(second)["slow"].GetProperty("receivedPerSecond").GetDouble());
    }

    [Fact]
    public async Task With_Prometheus_refusing_connections_the_view_reads_the_services_and_says_why()
    {
        var port = KestrelGrpcServer.FreePort();   // free: nothing listens there
        await using var replica = await KestrelHttpServer.ServingTextAsync("stock_updates_sent_total{consumer=\"fast\"} 7\n");
        await using var runner = await RunnerApp.StartAsync(
            ("services:prometheus:http:0", $"http://127.0.0.1:{port}"),
            ("services:stock:http:0", replica.Address.ToString()));
        using var http = new HttpClient { BaseAddress = runner.HttpAddress };

        for (var reading = 0; reading < 3; reading++)
        {
            var (body, took) = await ReadAsync(http);

            Assert.True(took < QuickReading, $"reading {reading} took {took}");
            Assert.Equal("services", body.GetProperty("source").GetString());
            var note = body.GetProperty("note").GetString()!;
            Assert.Contains($"127.0.0.1:{port}", note);
            Assert.Contains("services__prometheus__http__0", note);
            Assert.Equal(7, Flows(body)["fast"].GetProperty("sent").GetDouble());
        }
    }

    [Fact]
    public async Task A_Prometheus_that_does_not_answer_is_given_up_within_a_second_and_left_alone_on_the_next_readings()
    {
        // Accepts every query and never answers: the runner's timeout is all that ends the wait.
        await using var prometheus = await KestrelHttpServer.StartAsync(context => Task.Delay(Timeout.Infinite, context.RequestAborted));
        await using var replica = await KestrelHttpServer.ServingTextAsync("stock_updates_sent_total{consumer=\"fast\"} 7\n");
        await using var runner = await RunnerApp.StartAsync(
            ("services:prometheus:http:0", prometheus.Address.ToString()),
            ("services:stock:http:0", replica.Address.ToString()));
        using var http = new HttpClient { BaseAddress = runner.HttpAddress };

        var (first, tookFirst) = await ReadAsync(http);

        // One second of timeout plus the reading: well short of the old 3 s timeout.
        Assert.True(tookFirst < TimeSpan.FromSeconds(2.5), $"the first reading took {tookFirst}");
        Assert.Equal("services", first.GetProperty("source").GetString());
        Assert.Contains(prometheus.Address.Authority, first.GetProperty("note").GetString());
        var asked = prometheus.Requests;
        Assert.InRange(asked, 1, 4);   // the four queries of one reading at most

        for (var reading = 1; reading <= 3; reading++)
        {
            var (body, took) = await ReadAsync(http);

            Assert.True(took < QuickReading, $"reading {reading} after the failure took {took}");
            Assert.Equal("services", body.GetProperty("source").GetString());
            Assert.Equal(first.GetProperty("note").GetString(), body.GetProperty("note").GetString());
        }
        Assert.Equal(asked, prometheus.Requests);
    }

    [Fact]
    public async Task With_Prometheus_readable_the_view_reads_Prometheus_and_not_the_stock_service()
    {
        // Every query gets the same vector: fast 12, slow 35 (the API writes sample values as strings).
        await using var prometheus = await KestrelHttpServer.StartAsync(context => context.Response.WriteAsync(
            """{"status":"success","data":{"resultType":"vector","result":[{"metric":{"consumer":"fast"},"value":[1,"12"]},{"metric":{"consumer":"slow"},"value":[1,"3.5e1"]}]}}"""));
        await using var replica = await KestrelHttpServer.ServingTextAsync("stock_updates_sent_total{consumer=\"fast\"} 7\n");
        await using var runner = await RunnerApp.StartAsync(
            ("services:prometheus:http:0", prometheus.Address.ToString()),
            ("services:stock:http:0", replica.Address.ToString()));
        using var http = new HttpClient { BaseAddress = runner.HttpAddress };

        var (body, _) = await ReadAsync(http);

        Assert.Equal("prometheus", body.GetProperty("source").GetString());
        Assert.Contains(prometheus.Address.Authority, body.GetProperty("note").GetString());
        var flows = Flows(body);
        Assert.Equal(["fast", "slow"], flows.Keys);
        Assert.Equal((12.0, 12.0, 12.0, 12.0), (flows["fast"].GetProperty("sent").GetDouble(), flows["fast"].GetProperty("received").GetDouble(),
            flows["fast"].GetProperty("sentPerSecond").GetDouble(), flows["fast"].GetProperty("receivedPerSecond").GetDouble()));
        Assert.Equal(35, flows["slow"].GetProperty("sent").GetDouble());
        Assert.Equal(4, prometheus.Requests);
        Assert.Equal(0, replica.Requests);
    }

    [Fact]
    public async Task With_neither_Prometheus_nor_the_stock_metrics_readable_the_endpoint_answers_503_naming_both_addresses()
    {
        var prometheusPort = KestrelGrpcServer.FreePort();   // free: nothing listens there
        var stockPort = KestrelGrpcServer.FreePort();
        await using var runner = await RunnerApp.StartAsync(
            ("services:prometheus:http:0", $"http://127.0.0.1:{prometheusPort}"),
            ("services:stock:http:0", $"http://127.0.0.1:{stockPort}"));
        using var http = new HttpClient { BaseAddress = runner.HttpAddress };

        using var response = await http.GetAsync("/backpressure/consumers").WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains($"127.0.0.1:{prometheusPort}", detail);
        Assert.Contains("services__prometheus__http__0", detail);
        Assert.Contains($"127.0.0.1:{stockPort}/metrics", detail);
    }

    [Fact]
    public async Task A_stock_replica_that_does_not_answer_is_given_up_within_a_second_too()
    {
        await using var replica = await KestrelHttpServer.StartAsync(context => Task.Delay(Timeout.Infinite, context.RequestAborted));
        await using var runner = await RunnerApp.StartAsync(("services:stock:http:0", replica.Address.ToString()));
        using var http = new HttpClient { BaseAddress = runner.HttpAddress };

        var stopwatch = Stopwatch.StartNew();
        using var response = await http.GetAsync("/backpressure/consumers").WaitAsync(TimeSpan.FromSeconds(15));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2.5), $"the answer took {stopwatch.Elapsed}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()!;
        Assert.Contains("services__prometheus__http__0", detail);
        Assert.Contains($"{replica.Address.Authority}/metrics", detail);
    }

    private static async Task<(JsonElement Body, TimeSpan Took)> ReadAsync(HttpClient http)
    {
        var stopwatch = Stopwatch.StartNew();
        using var response = await http.GetAsync("/backpressure/consumers").WaitAsync(TimeSpan.FromSeconds(15));
        var took = stopwatch.Elapsed;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return (JsonDocument.Parse(text).RootElement, took);
    }

    private static Dictionary<string, JsonElement> Flows(JsonElement body) =>
        body.GetProperty("consumers").EnumerateArray().ToDictionary(flow => flow.GetProperty("consumer").GetString()!);
}
