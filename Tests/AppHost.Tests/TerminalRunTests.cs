using System.Text.Json;
using System.Text.RegularExpressions;
using Aspire.Hosting;
using AspireProber.Tests.Shared;
using Microsoft.Extensions.Configuration;
using Xunit.Abstractions;

namespace AspireProber.AppHost.Tests;

/// <summary>
/// The README's first command as a user meets it in a terminal: the built AppHost with its launch profile, the model
/// exactly as Program.cs has it (Grafana included, whatever container engine the machine has or lacks), and nothing
/// set for the test but free ports and keys (<see cref="AppHostLaunch"/>) so it never collides with another run. It
/// must finish starting, serve reflection on every prober replica to a foreign client, and end on Ctrl+C with exit
/// code 0, no failure logged and no process of the system left.
/// </summary>
public sealed partial class TerminalRunTests(ITestOutputHelper log)
{
    // DCP stops every resource before the AppHost returns (DcpPublisher:WaitForResourceCleanup); seen here: ~5 s.
    private static readonly TimeSpan s_stopLimit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Started_as_in_a_terminal_it_finishes_starting_every_replica_answers_reflection_and_Ctrl_C_ends_it_cleanly()
    {
        using var appHost = BuiltAppHost.Start();
        await appHost.WaitForOutputAsync("Distributed application started");
        await appHost.WaitForEverythingStartedAsync();
        // Every endpoint is plain HTTP (PlainHttp): no warning that no trusted development certificate is installed.
        Assert.DoesNotContain("development certificate", appHost.Output);
        if (!ContainerEngine.Answers(new ConfigurationBuilder().AddEnvironmentVariables().Build()))
        {
            Assert.Contains("Grafana is not started: it is a container and no container engine answers", appHost.Output);
        }

        // A client that knows no proto: reflection, which the services map in Development (their launch profile),
        // describes prober.v1.Prober on each replica's own address, and the request is built from that.
        var target = new Uri(new Uri(KestrelUrl(appHost.ProcessesOf("probetarget").Single(), "http")), "/fast");
        var replicas = appHost.ProcessesOf("prober");
        Assert.Equal(RunningApp.SystemReplicas["prober"], replicas.Length);
        foreach (var replica in replicas)
        {
            await WaitForHealthyAsync(new Uri(KestrelUrl(replica, "http")));
            var port = new Uri(KestrelUrl(replica, "grpc")).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var (listed, services) = await NodePeers.RunAsync("reflection_call.js", $"--server_port={port}");
            Assert.True(listed == 0, services);
            Assert.Contains("prober.v1.Prober", services.Split('\n'));

            var request = JsonSerializer.Serialize(new { endpoint = target.ToString(), repetitions = 2 });
            var (called, reply) = await NodePeers.RunAsync("reflection_call.js", $"--server_port={port}", "--method=prober.v1.Prober/Probe", $"--request={request}");
            Assert.True(called == 0, reply);
            var probe = JsonDocument.Parse(reply).RootElement;
            Assert.Equal(2, probe.GetProperty("success_count").GetInt32());
            log.WriteLine($"replica {probe.GetProperty("replica").GetString()} on port {port}: {reply.Trim()}");
        }

        appHost.Interrupt();
        var exitCode = await appHost.WaitForExitAsync(s_stopLimit);

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{appHost.Tail()}");
        Assert.DoesNotMatch(FailureLine(), appHost.Output);
        Assert.DoesNotContain("Hosting failed to start", appHost.Output);
        Assert.Empty(await ProcessTable.SurvivorsAsync([.. appHost.Started], TimeSpan.FromSeconds(10)));
    }

    // As the dashboard shows it: "Distributed application started" comes once every process is started, not ready.
    private static async Task WaitForHealthyAsync(Uri service)
    {
        using var http = new HttpClient { BaseAddress = service, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + RunningApp.HealthyLimit;
        while (true)
        {
            try
            {
                if ((await http.GetAsync("/health")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && DateTime.UtcNow < deadline)
            {
                // not listening yet
            }
            Assert.True(DateTime.UtcNow < deadline, $"{service} was not healthy within {RunningApp.HealthyLimit.TotalSeconds} s");
            await Task.Delay(250);
        }
    }

    // The URL a service's Kestrel endpoint was started on: Aspire gives each replica its own (Kestrel__Endpoints__{name}__Url).
    private static string KestrelUrl(int pid, string endpoint) =>
        Assert.Contains($"Kestrel__Endpoints__{endpoint}__Url", ProcessTable.EnvironmentOf(pid));

    // The console logger's prefix of an error ("fail: Category[id]") or a critical failure ("crit: ...").
    [GeneratedRegex(@"(?m)^(fail|crit): ")]
    private static partial Regex FailureLine();
}
