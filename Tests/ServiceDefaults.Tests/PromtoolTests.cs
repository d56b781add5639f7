using System.Diagnostics;
using System.Diagnostics.Metrics;
using AspireProber.ServiceDefaults.Tests.Infrastructure;
using Grpc.Health.V1;

namespace AspireProber.ServiceDefaults.Tests;

/// <summary>Debian's <c>promtool check metrics</c> (Prometheus 2.42) parses and lints what /metrics really serves.</summary>
public sealed class PromtoolTests
{
    private const string Promtool = "/usr/bin/promtool";

    // promtool's lint disagrees with .NET's runtime metrics in one place: its gauges end in _count
    // (dotnet.assembly.count). Every other problem fails the test — durations are in seconds everywhere, as promtool wants.
    private static readonly (string Problem, Func<string, bool> AllowedFor)[] KnownDisagreements =
    [
        ("non-histogram and non-summary metrics should not have \"_count\" suffix", name => name.StartsWith("dotnet_", StringComparison.Ordinal)),
    ];

    [Fact]
    public async Task Real_metrics_output_passes_promtool_check_metrics()
    {
        Assert.True(File.Exists(Promtool), $"{Promtool} is missing: run .ci/install-peers.sh (Debian package 'prometheus').");
        using var meter = new Meter("AspireProber.Tests.Promtool." + Guid.NewGuid().ToString("N"));
        await using var app = await TestApp.StartAsync();

        // Instruments shaped like the services' (DESIGN §3), with label values that need escaping; the prefix keeps them
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
        var (exitCode, output) = await RunPromtoolAsync(text);

        var problems = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !KnownDisagreements.Any(known => line.EndsWith(" " + known.Problem, StringComparison.Ordinal) && known.AllowedFor(line.Split(' ')[0])))
            .ToList();
        Assert.True(problems.Count == 0, $"promtool (exit {exitCode}) reported:\n{string.Join('\n', problems)}\n\n--- /metrics ---\n{text}");
        // Exit 3 is "lint problems", which the filter above has judged; anything else is a parse error or a crash.
        Assert.True(exitCode is 0 or 3, $"promtool exited {exitCode}:\n{output}");
        Assert.Contains("promtool_stock_updates_sent_total{", text);
    }

    [Fact]
    public async Task Promtool_rejects_what_it_should_so_the_check_above_means_something()
    {
        Assert.True(File.Exists(Promtool), $"{Promtool} is missing: run .ci/install-peers.sh (Debian package 'prometheus').");

        var (badLabel, _) = await RunPromtoolAsync("# HELP x_total x\n# TYPE x_total counter\nx_total{a=\"unterminated} 1\n");
        var (noTotal, lint) = await RunPromtoolAsync("# HELP x x\n# TYPE x counter\nx 1\n");

        Assert.NotEqual(0, badLabel);
        Assert.NotEqual(0, noTotal);
        Assert.Contains("counter metrics should have \"_total\" suffix", lint);
    }

    private static async Task<(int ExitCode, string Output)> RunPromtoolAsync(string exposition)
    {
        using var process = Process.Start(new ProcessStartInfo(Promtool, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.StandardInput.WriteAsync(exposition);
            process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, (await stdout + await stderr).Trim());
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }
}
