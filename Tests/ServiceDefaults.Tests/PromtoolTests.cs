using System.Diagnostics.Metrics;
using AspireProber.ServiceDefaults.Tests.Infrastructure;
using AspireProber.Tests.Shared;
using Grpc.Health.V1;

namespace AspireProber.ServiceDefaults.Tests;

/// <summary>Debian's <c>promtool check metrics</c> (Prometheus 2.42) parses and lints what /metrics really serves.</summary>
public sealed class PromtoolTests
{
    [Fact]
    public async Task Real_metrics_output_passes_promtool_check_metrics()
    {
        Promtool.AssertInstalled();
        using var meter = new Meter("AspireProber.Tests.Promtool." + Guid.NewGuid().ToString("N"));
        await using var app = await TestApp.StartAsync();

        // Instruments shaped like the services' (stock_updates_sent_total, the prober's latency gauge), with label values that need escaping; the prefix keeps them
        // apart from other test classes' instruments (every app in this process sees every AspireProber.* meter).
        var consumer = new KeyValuePair<string, object?>("consumer", "slow \"consumer\"\\n\n");
        meter.CreateCounter<long>("promtool.stock.updates.sent", "{update}", "Stock updates written.").Add(5, consumer);
        meter.CreateCounter<double>("promtool.stock.bytes.sent", "By", "Bytes written.").Add(1.5, consumer);
        meter.CreateHistogram<double>("promtool.stock.write.blocked", "s", "Time blocked in writes.").Record(0.25, consumer);
        meter.CreateUpDownCounter<long>("promtool.stock.stream.lag", "{update}", "Updates not yet sent.").Add(3, consumer);
        meter.CreateObservableGauge("promtool.prober.latency", () => 0.012, "s", "Latency of the last probe.");
        meter.CreateObservableGauge("promtool.prober.success", () => 1.0, "1", "Share of successful attempts.");
        await new Health.HealthClient(app.Channel).CheckAsync(new HealthCheckRequest());
        await app.Http.GetAsync("/health");

        var (text, _) = await app.ScrapeAsync();
        var (exitCode, output) = await Promtool.CheckMetricsAsync(text);

        // Durations are in seconds and counters end in _total everywhere; .NET's runtime gauges are renamed where they
        // end in _count (ServiceDefaults): promtool finds nothing to say.
        Assert.True(exitCode == 0 && output.Length == 0, $"promtool exited {exitCode}:\n{output}\n\n--- /metrics ---\n{text}");
        Assert.Contains("# TYPE dotnet_assemblies gauge", text);
        Assert.Contains("promtool_stock_updates_sent_total{", text);
    }

    [Fact]
    public async Task Promtool_rejects_what_it_should_so_the_check_above_means_something()
    {
        Promtool.AssertInstalled();

        var (badLabel, _) = await Promtool.CheckMetricsAsync("# HELP x_total x\n# TYPE x_total counter\nx_total{a=\"unterminated} 1\n");
        var (noTotal, lint) = await Promtool.CheckMetricsAsync("# HELP x x\n# TYPE x counter\nx 1\n");

        Assert.NotEqual(0, badLabel);
        Assert.NotEqual(0, noTotal);
        Assert.Contains("counter metrics should have \"_total\" suffix", lint);
    }
}
