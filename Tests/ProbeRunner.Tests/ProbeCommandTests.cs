using AspireProber.ProbeRunner.Cli;
using AspireProber.ProbeRunner.Tests.Infrastructure;

namespace AspireProber.ProbeRunner.Tests;

public class ProbeCommandTests
{
    private static readonly IConfiguration NoConfiguration = new ConfigurationBuilder().Build();

    [Fact]
    public async Task Probing_through_two_replicas_prints_both_replicas_statistics_and_exits_0()
    {
        await using var a = await KestrelGrpcServer.StartAsync(new FakeProber("replica-a"));
        await using var b = await KestrelGrpcServer.StartAsync(new FakeProber("replica-b"));

        var (exitCode, output, error) = await RunAsync("probe", "http://127.0.0.1:9/fast", "--repetitions", "4",
            "--prober", a.Address.ToString(), "--prober", b.Address.ToString(), "--timeout", "10s");

        Assert.True(exitCode == ProbeCommand.Ok, $"exit {exitCode}\n{output}\n{error}");
        var rows = TableRows(output);
        Assert.Equal(2, rows.Count);
        // The fake streams attempts of 10, 20, 30, 40 ms: average 25, p50 20, p90 and max 40.
        foreach (var (server, instance) in new[] { (a, "replica-a"), (b, "replica-b") })
        {
            var row = Assert.Single(rows, r => r[0] == ReplicaOutcome.NameOf(server.Address));
            Assert.Equal([instance, "OK", "4", "0", "25.0", "10.0", "20.0", "40.0", "40.0", "40.0", "200×4"], row[1..12]);
        }
        Assert.Empty(error);
    }

    [Fact]
    public async Task With_one_replica_down_the_other_is_still_reported_and_the_exit_code_is_non_zero()
    {
        await using var a = await KestrelGrpcServer.StartAsync(new FakeProber("replica-a"));
        var b = await KestrelGrpcServer.StartAsync(new FakeProber("replica-b"));
        await b.StopAsync();

        var (exitCode, output, _) = await RunAsync("probe", "http://127.0.0.1:9/fast", "-n", "2", "--prober", a.Address.ToString(), "--prober", b.Address.ToString());

        Assert.Equal(ProbeCommand.ReplicaFailed, exitCode);
        var rows = TableRows(output);
        Assert.Equal("OK", rows.Single(r => r[0] == ReplicaOutcome.NameOf(a.Address))[2]);
        Assert.Equal("UNAVAILABLE", rows.Single(r => r[0] == ReplicaOutcome.NameOf(b.Address))[2]);
    }

    [Fact]
    public async Task Configured_replicas_are_used_when_no_prober_is_given()
    {
        var prober = new FakeProber("configured");
        await using var server = await KestrelGrpcServer.StartAsync(prober);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("services:prober:grpc:0", server.Address.ToString())]).Build();

        var (exitCode, output, _) = await RunAsync(configuration, "probe", "http://127.0.0.1:9/fast", "-n", "1");

        Assert.Equal(ProbeCommand.Ok, exitCode);
        Assert.Equal("configured", Assert.Single(TableRows(output))[1]);
        Assert.Equal(1, Assert.Single(prober.Requests).Repetitions);
    }

    [Theory]
    [InlineData("endpoint 'not-a-url' is not an absolute http:// or https:// URL", "probe", "not-a-url", "--prober", "http://127.0.0.1:1")]
    [InlineData("--repetitions must be at least 1, got 0", "probe", "http://127.0.0.1:9/fast", "-n", "0", "--prober", "http://127.0.0.1:1")]
    [InlineData("--timeout 'soon' is not a positive duration", "probe", "http://127.0.0.1:9/fast", "--timeout", "soon", "--prober", "http://127.0.0.1:1")]
    [InlineData("--prober 'ftp://x' is not an absolute http:// or https:// URL", "probe", "http://127.0.0.1:9/fast", "--prober", "ftp://x")]
    [InlineData("Required argument missing", "probe", "--prober", "http://127.0.0.1:1")]
    [InlineData("No prober replica to probe through: pass --prober <url>", "probe", "http://127.0.0.1:9/fast")]
    public async Task Bad_arguments_exit_2_with_a_message_that_says_what_to_fix(string message, params string[] args)
    {
        var (exitCode, output, error) = await RunAsync(args);

        Assert.Equal(ProbeCommand.BadArguments, exitCode);
        Assert.Contains(message, error);
        Assert.DoesNotContain("Probing", output);
    }

    [Fact]
    public async Task The_executable_dispatches_the_probe_verb_to_the_CLI()
    {
        await using var a = await KestrelGrpcServer.StartAsync(new FakeProber("replica-a"));
        await using var b = await KestrelGrpcServer.StartAsync(new FakeProber("replica-b"));
        var info = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "AspireProber.ProbeRunner.dll"), "probe", "http://127.0.0.1:9/fast", "-n", "2",
                "--prober", a.Address.ToString(), "--prober", b.Address.ToString() },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(info)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var error = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);

            Assert.True(process.ExitCode == ProbeCommand.Ok, $"exit {process.ExitCode}\n{await output}\n{await error}");
            Assert.Equal(["replica-a", "replica-b"], TableRows(await output).Select(r => r[1]));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("1s", 1000)]
    [InlineData("1.5s", 1500)]
    [InlineData("2m", 120_000)]
    [InlineData("00:00:03", 3000)]
    public void Durations_parse_as_people_type_them(string text, double milliseconds)
    {
        Assert.True(DurationParser.TryParse(text, out var duration));
        Assert.Equal(milliseconds, duration.TotalMilliseconds);
    }

    private static Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) => RunAsync(NoConfiguration, args);

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(IConfiguration configuration, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await ProbeCommand.InvokeAsync(args, output, error, configuration).WaitAsync(TimeSpan.FromSeconds(30));
        return (exitCode, output.ToString(), error.ToString());
    }

    // The table's body rows, split into trimmed cells: "│ a │ b │" -> ["a", "b"].
    private static List<string[]> TableRows(string output) => output.Split('\n')
        .Where(line => line.StartsWith('│') && !line.Contains("│ replica "))
        .Select(line => line.Trim().Trim('│').Split('│').Select(cell => cell.Trim()).ToArray())
        .ToList();
}
