using System.Globalization;
using System.Text.Json;
using Aspire.Hosting.Testing;
using AspireProber.Tests.Shared;

namespace AspireProber.AppHost.Tests;

/// <summary>
/// The AppHost's Prometheus (Debian's executable) against the whole running system: every replica scraped, both
/// consumers' counters there, the slow consumer falling behind, and every query of the Grafana dashboards evaluated by
/// the real Prometheus over the real metrics.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class PrometheusEndToEndTests(SystemFixture system)
{
    private static readonly TimeSpan s_scrapeLimit = TimeSpan.FromSeconds(30);

    // Grafana's $__rate_interval for the datasource's 2 s timeInterval: four scrape intervals, at least.
    private static readonly TimeSpan s_rateInterval = TimeSpan.FromSeconds(10);

    // The stock service publishes 10 updates/s and Prometheus scrapes the sender and the receiver up to one 2 s interval
    // apart, so a consumer that keeps up shows a gap of up to about 20 either way.
    private const double FastGapTolerance = 30;

    private static readonly HttpClient s_http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };

    private string Prometheus => system.App.GetEndpoint("prometheus", "http").ToString().TrimEnd('/');

    [Theory]
    [InlineData("probetarget")]
    [InlineData("prober")]
    [InlineData("stock")]
    [InlineData("runner")]
    public async Task Every_services_live_metrics_pass_promtool_check_metrics(string resource)
    {
        using var http = system.App.CreateHttpClient(resource, "http");

        var exposition = await http.GetStringAsync("/metrics");
        var (exitCode, output) = await Promtool.CheckMetricsAsync(exposition);

        Assert.True(exitCode == 0 && output.Length == 0, $"promtool exited {exitCode} on {resource}'s /metrics:\n{output}");
        Assert.Contains("# TYPE dotnet_assemblies gauge", exposition);
    }

    [Fact]
    public async Task Prometheus_scrapes_every_replica_under_its_resource_and_replica_id()
    {
        var targets = await WaitForEveryTargetUpAsync(Prometheus);

        // One target per replica, labelled with its resource and with the replica id the Aspire dashboard shows.
        Assert.Equal(RunningApp.SystemReplicas.OrderBy(r => r.Key), targets.GroupBy(t => t.Resource).Select(g => KeyValuePair.Create(g.Key, g.Count())).OrderBy(r => r.Key));
        Assert.All(targets, t => Assert.StartsWith(t.Resource + "-", t.Instance, StringComparison.Ordinal));
        Assert.Equal(targets.Length, targets.Select(t => t.Instance).Distinct().Count());
    }

    [Fact]
    public async Task The_slow_consumer_falls_behind_while_the_fast_one_keeps_up()
    {
        await WaitForEveryTargetUpAsync(Prometheus);
        await WaitForBothConsumersAsync(Prometheus);
        var before = await GapsAsync(Prometheus);
        await Task.Delay(TimeSpan.FromSeconds(6));
        var after = await GapsAsync(Prometheus);

        Assert.True(after["slow"] > before["slow"], $"The slow consumer's gap (sent - received) did not grow: {before["slow"]} then {after["slow"]}.");
        Assert.True(Math.Abs(after["fast"]) <= FastGapTolerance, $"The fast consumer's gap is {after["fast"]}, not near zero.");
    }

    [Fact]
    public async Task Every_Grafana_query_evaluates_to_data_over_metrics_the_services_export()
    {
        await WaitForEveryTargetUpAsync(Prometheus);
        await WaitForBothConsumersAsync(Prometheus);
        // The runner probes every second; give the histograms and rates a few scrapes of data.
        await Task.Delay(TimeSpan.FromSeconds(6));

        // Every panel query, as Grafana would send it; each must evaluate, and return data unless it selects errors.
        var failures = new List<string>();
        foreach (var query in GrafanaFiles.Queries())
        {
            var expression = PromQl.WithGrafanaVariables(query.Expression, s_rateInterval);
            var (error, series) = await QueryAsync(Prometheus, expression);
            if (error is not null)
            {
                failures.Add($"{query.Dashboard} / {query.Panel} / {query.RefId}: {error}\n  {expression}");
            }
            else if (series.Length == 0 && !SelectsErrors(query.Expression))
            {
                failures.Add($"{query.Dashboard} / {query.Panel} / {query.RefId}: no data\n  {expression}");
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));

        // A query of failed calls only (gRPC status not OK): a healthy system may well have none in the window.
        static bool SelectsErrors(string expression) =>
            expression.Contains("rpc_grpc_status_code!=\"0\"", StringComparison.Ordinal) || expression.Contains("status!=\"OK\"", StringComparison.Ordinal);

        // The metric names Prometheus has from scraping the services (plus its own per-target series such as `up`).
        using var names = JsonDocument.Parse(await s_http.GetStringAsync(Prometheus + "/api/v1/label/__name__/values"));
        var known = names.RootElement.GetProperty("data").EnumerateArray().Select(n => n.GetString()!).ToHashSet();
        var unknown = GrafanaFiles.Queries().SelectMany(q => PromQl.MetricNames(q.Expression).Where(name => !known.Contains(name)).Select(name => $"{q.Dashboard} / {q.Panel}: {name}")).ToArray();
        Assert.True(unknown.Length == 0, "Metrics no service exports:\n" + string.Join('\n', unknown));
    }

    private sealed record Target(string Resource, string Instance);

    private static async Task<Target[]> WaitForEveryTargetUpAsync(string prometheus)
    {
        var deadline = DateTime.UtcNow + s_scrapeLimit;
        while (true)
        {
            using var response = JsonDocument.Parse(await s_http.GetStringAsync(prometheus + "/api/v1/targets?state=active"));
            var targets = response.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray().ToArray();
            if (targets.Length == RunningApp.SystemReplicas.Values.Sum() && targets.All(t => t.GetProperty("health").GetString() == "up"))
            {
                return [.. targets.Select(t => t.GetProperty("labels")).Select(l => new Target(l.GetProperty("resource").GetString()!, l.GetProperty("instance").GetString()!))];
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Within {s_scrapeLimit.TotalSeconds} s not every replica's target was up: " +
                    string.Join("; ", targets.Select(t => $"{t.GetProperty("labels").GetProperty("instance")} {t.GetProperty("health")} {t.GetProperty("lastError")}")));
            }
            await Task.Delay(500);
        }
    }

    private static async Task WaitForBothConsumersAsync(string prometheus)
    {
        var deadline = DateTime.UtcNow + s_scrapeLimit;
        while (true)
        {
            var sent = await ConsumersAsync(prometheus, "stock_updates_sent_total");
            var received = await ConsumersAsync(prometheus, "stock_updates_received_total");
            if (sent.SetEquals(["fast", "slow"]) && received.SetEquals(["fast", "slow"]))
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Within {s_scrapeLimit.TotalSeconds} s Prometheus did not have both consumers: sent for [{string.Join(", ", sent)}], received for [{string.Join(", ", received)}].");
            }
            await Task.Delay(500);
        }
    }

    private static async Task<HashSet<string>> ConsumersAsync(string prometheus, string metric)
    {
        var (error, series) = await QueryAsync(prometheus, metric);
        Assert.Null(error);
        return [.. series.Select(s => s.Labels["consumer"])];
    }

    /// <summary>sent − received per consumer, from one evaluation.</summary>
    private static async Task<Dictionary<string, double>> GapsAsync(string prometheus)
    {
        var (error, series) = await QueryAsync(prometheus, "sum by (consumer) (stock_updates_sent_total) - sum by (consumer) (stock_updates_received_total)");
        Assert.Null(error);
        return series.ToDictionary(s => s.Labels["consumer"], s => s.Value);
    }

    private sealed record Series(IReadOnlyDictionary<string, string> Labels, double Value);

    /// <summary>An instant query: Prometheus' error, or the series of its vector result.</summary>
    private static async Task<(string? Error, Series[] Series)> QueryAsync(string prometheus, string expression)
    {
        using var response = await s_http.GetAsync($"{prometheus}/api/v1/query?query={Uri.EscapeDataString(expression)}");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        if (root.GetProperty("status").GetString() != "success")
        {
            return ($"{root.GetProperty("errorType").GetString()}: {root.GetProperty("error").GetString()}", []);
        }
        var series = root.GetProperty("data").GetProperty("result").EnumerateArray().Select(r => new Series(
            r.GetProperty("metric").EnumerateObject().ToDictionary(l => l.Name, l => l.Value.GetString()!),
            double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)));
        return (null, [.. series]);
    }
}
