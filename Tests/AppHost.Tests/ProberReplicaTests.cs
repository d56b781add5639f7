using Aspire.Hosting;
using Aspire.Hosting.Testing;
using AspireProber.Prober.V1;
using AspireProber.Runner.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Hosting;

namespace AspireProber.AppHost.Tests;

/// <summary>
/// The prober's replicas in the real AppHost model: the runner survives one being stopped and uses it again once
/// restarted, and a channel over the replicas spreads calls across all three.
/// </summary>
public sealed class ProberReplicaTests
{
    private const int Replicas = 3;
    private const int StoppedReplica = 1;
    private static readonly TimeSpan s_observeLimit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Runner_reports_UNAVAILABLE_for_a_stopped_prober_replica_keeps_probing_the_others_and_uses_it_again_once_restarted()
    {
        // Rounds every second instead of five, so each phase shows within seconds.
        await using var app = await AppHostModel.StartAsync(builder => builder.WithEnvironment("runner", "Runner__Interval", "00:00:01"));
        var probers = app.GetEndpoints("prober", "grpc").Select(ReplicaName).ToArray();
        using var runnerMetrics = app.CreateHttpClient("runner", "http");
        using var runnerChannel = app.CreateGrpcChannel("runner");
        var runner = new Runner.V1.Runner.RunnerClient(runnerChannel);
        var request = new ProbeAllRequest { Probe = new ProbeRequest { Endpoint = new Uri(app.GetEndpoint("probetarget", "http"), "/fast").ToString(), Repetitions = 1 } };

        await app.ResourceCommands.StopResourceAsync("prober", StoppedReplica);
        var stopped = await ScrapeAsync(runnerMetrics);

        // On demand: the stopped replica answers UNAVAILABLE, the others answer.
        var reply = await runner.ProbeAllAsync(request, deadline: DateTime.UtcNow.AddSeconds(30));
        Assert.Equal(probers, reply.Results.Select(r => ReplicaName(r.Address)));
        for (var i = 0; i < Replicas; i++)
        {
            Assert.Equal(i == StoppedReplica ? StatusCode.Unavailable : StatusCode.OK, (StatusCode)reply.Results[i].StatusCode);
        }

        // In its own rounds: UNAVAILABLE calls for the stopped one, in its metrics and its console log, and OK calls
        // keep coming for the others.
        await WaitForCallsAsync(runnerMetrics, stopped, probers[StoppedReplica], "UNAVAILABLE");
        using (var timeout = new CancellationTokenSource(s_observeLimit))
        {
            await app.WaitForConsoleLineAsync("runner", 0, line => line.Content.Contains($"{probers[StoppedReplica]}=UNAVAILABLE", StringComparison.Ordinal), timeout.Token);
        }
        var beforeRestart = await ScrapeAsync(runnerMetrics);
        await WaitForCallsAsync(runnerMetrics, beforeRestart, probers[0], "OK");
        await WaitForCallsAsync(runnerMetrics, beforeRestart, probers[2], "OK");

        await app.ResourceCommands.StartResourceAsync("prober", StoppedReplica);
        using (var timeout = new CancellationTokenSource(AppHostModel.HealthyLimit))
        {
            await app.ResourceNotifications.WaitForReplicaHealthyAsync("prober", StoppedReplica, timeout.Token);
        }
        var restarted = await ScrapeAsync(runnerMetrics);
        await WaitForCallsAsync(runnerMetrics, restarted, probers[StoppedReplica], "OK");

        reply = await runner.ProbeAllAsync(request, deadline: DateTime.UtcNow.AddSeconds(30));
        Assert.All(reply.Results, r => Assert.Equal(StatusCode.OK, (StatusCode)r.StatusCode));
    }

    [Fact]
    public async Task A_channel_over_the_prober_replicas_spreads_calls_across_all_three_and_disposing_the_app_stops_every_process()
    {
        var app = await AppHostModel.StartAsync();
        int[] processes;
        await using (app)
        {
            processes = [.. app.ResourceNotifications.GetCurrentStates().Where(e => e.Snapshot.ProcessId is not null).Select(e => e.Snapshot.ProcessId!.Value)];
            Assert.True(processes.Length >= 6, $"Processes of the model: {string.Join(", ", processes)}");

            // Round-robin per call over every replica's address, as the runner's balanced client does (until issue 10
            // this test runs on the home-made platform's channel, so it cannot share ServiceDefaults' config).
            using var channel = app.CreateGrpcChannel("prober", options: new GrpcChannelOptions
            {
                ServiceConfig = new Grpc.Net.Client.Configuration.ServiceConfig { LoadBalancingPolicy = Grpc.Net.Client.Configuration.LoadBalancingPolicy.RoundRobin },
            });
            var prober = new Prober.V1.Prober.ProberClient(channel);
            var request = new ProbeRequest { Endpoint = new Uri(app.GetEndpoint("probetarget", "http"), "/fast").ToString(), Repetitions = 1 };
            var answeredBy = new List<string>();
            for (var call = 0; call < 10 * Replicas; call++)
            {
                // Each replica names itself in its reply (the service.instance.id the AppHost gives it).
                answeredBy.Add((await prober.ProbeAsync(request, deadline: DateTime.UtcNow.AddSeconds(30))).Replica);
            }

            var perReplica = answeredBy.GroupBy(r => r).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(["prober-0", "prober-1", "prober-2"], perReplica.Keys.Order());
            // Round-robin gives each replica every third call; a replica refusing a connection once would shift a few.
            Assert.All(perReplica.Values, count => Assert.InRange(count, 5, 15));
        }

        var alive = processes.Where(IsAlive).ToArray();
        Assert.True(alive.Length == 0, $"Still running after DisposeAsync: {string.Join(", ", alive)}");
    }

    private static string ReplicaName(Uri address) => address.GetLeftPart(UriPartial.Authority);

    private static string ReplicaName(string address) => ReplicaName(new Uri(address));

    private static bool IsAlive(int pid)
    {
        try
        {
            // "pid (comm) state ...": a zombie (Z) has exited and is only waiting to be reaped.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task<PrometheusText.Sample[]> ScrapeAsync(HttpClient runnerMetrics) =>
        PrometheusText.Parse(await runnerMetrics.GetStringAsync("/metrics"), "runner_probe_calls_total");

    private static double Calls(PrometheusText.Sample[] samples, string replica, string status) =>
        samples.Where(s => s.Labels["replica"] == replica && s.Labels["status"] == status).Sum(s => s.Value);

    /// <summary>Waits until the runner's count of <paramref name="status"/> calls to <paramref name="replica"/> grew past <paramref name="since"/>'s.</summary>
    private static async Task WaitForCallsAsync(HttpClient runnerMetrics, PrometheusText.Sample[] since, string replica, string status)
    {
        var baseline = Calls(since, replica, status);
        var deadline = DateTime.UtcNow + s_observeLimit;
        while (true)
        {
            var now = await ScrapeAsync(runnerMetrics);
            if (Calls(now, replica, status) > baseline)
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                var series = string.Join('\n', now.Select(s => $"{s.Labels["replica"]} {s.Labels["status"]} {s.Value}"));
                Assert.Fail($"Within {s_observeLimit.TotalSeconds} s the runner made no new {status} call to {replica} (had {baseline}):\n{series}");
            }
            await Task.Delay(250);
        }
    }
}
