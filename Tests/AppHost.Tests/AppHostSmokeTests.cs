namespace AspireProber.AppHost.Tests;

/// <summary>The whole system from the AppHost: everything healthy, the runner wired to every replica, nothing left after SIGTERM.</summary>
public sealed class AppHostSmokeTests
{
    // Generous: this runs on a loaded 2-core CI machine, next to other test assemblies starting their own servers.
    private static readonly TimeSpan s_healthyLimit = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan s_metricsLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_stopLimit = TimeSpan.FromSeconds(30);

    private static readonly HttpClient s_http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task Every_resource_gets_healthy_the_runner_probes_each_prober_replica_and_SIGTERM_leaves_no_process()
    {
        await using var appHost = AppHostProcess.Start();
        var rows = await appHost.WaitForAllHealthyAsync(AppHostProcess.Replicas, s_healthyLimit);
        // Seven replicas plus the AppHost's reaper (which exits with it).
        Assert.True(appHost.Children.Length >= AppHostProcess.Replicas.Length, $"Children of the AppHost: {string.Join(", ", appHost.Children)}");

        var series = await ScrapeUntilEveryReplicaAnsweredAsync(appHost, rows);
        foreach (var prober in AppHostProcess.Replicas.Where(r => r.StartsWith("prober-", StringComparison.Ordinal)))
        {
            // The runner labels calls with the replica's gRPC address, one of the URLs the table shows for it.
            Assert.Single(series, s => s.Name == "runner_probe_calls_total" && s.Labels["status"] == "OK" && rows[prober].Urls.Contains(s.Labels["replica"]) && s.Value > 0);
        }
        Assert.Equal(3, series.Where(s => s.Name == "runner_probe_calls_total").Select(s => s.Labels["replica"]).Distinct().Count());
        foreach (var consumer in (string[])["fast", "slow"])
        {
            Assert.Contains(series, s => s.Name == "stock_updates_received_total" && s.Labels["consumer"] == consumer && s.Value > 0);
        }

        var exitCode = await appHost.StopAsync(s_stopLimit);
        Assert.Equal(0, exitCode);
        Assert.Empty(await AppHostProcess.WaitUntilGoneAsync(appHost.Children, TimeSpan.FromSeconds(10)));
    }

    /// <summary>The runner's series once every prober replica has answered OK and both consumers have received updates.</summary>
    private static async Task<PrometheusText.Sample[]> ScrapeUntilEveryReplicaAnsweredAsync(AppHostProcess appHost, IReadOnlyDictionary<string, AppHostProcess.Row> rows)
    {
        var deadline = DateTime.UtcNow + s_metricsLimit;
        var last = "";
        while (true)
        {
            // The runner's row lists its grpc and http URLs; /metrics answers only on the HTTP/1.1 one.
            foreach (var url in rows["runner-0"].Urls)
            {
                try
                {
                    last = await s_http.GetStringAsync(url + "/metrics");
                    break;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                }
            }
            PrometheusText.Sample[] series = [.. PrometheusText.Parse(last, "runner_probe_calls_total"), .. PrometheusText.Parse(last, "stock_updates_received_total")];
            var answered = series.Where(s => s.Name == "runner_probe_calls_total" && s.Labels["status"] == "OK").Select(s => s.Labels["replica"]).Distinct().Count();
            var consumers = series.Count(s => s.Name == "stock_updates_received_total");
            if (answered == 3 && consumers == 2)
            {
                return series;
            }
            if (DateTime.UtcNow > deadline)
            {
                var relevant = string.Join('\n', last.Split('\n').Where(l => l.StartsWith("runner_probe_calls_total", StringComparison.Ordinal) || l.StartsWith("stock_updates_received_total", StringComparison.Ordinal)));
                Assert.Fail($"Within {s_metricsLimit.TotalSeconds} s the runner's /metrics did not show OK calls to 3 replicas and both consumers:\n{relevant}\nAppHost output:\n{appHost.Output()}");
            }
            await Task.Delay(500);
        }
    }
}
