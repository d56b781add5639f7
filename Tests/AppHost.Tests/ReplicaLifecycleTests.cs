using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using AspireProber.Runner.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;

namespace AspireProber.AppHost.Tests;

/// <summary>
/// A prober replica stopped and started again with the dashboard's Stop and Start commands (through
/// ResourceCommandService), and every process of the system gone once the app is disposed. Its own app: it changes the system it runs.
/// </summary>
public sealed class ReplicaLifecycleTests
{
    private static readonly TimeSpan s_settleLimit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_replica_stopped_from_the_dashboard_is_UNAVAILABLE_under_its_own_address_the_others_answer_and_after_Start_all_do()
    {
        await using var app = await RunningApp.StartAsync();
        using var channel = GrpcChannel.ForAddress(app.GetEndpoint("runner", "grpc"));
        var runner = new Runner.V1.Runner.RunnerClient(channel);
        var probe = new ProbeAllRequest
        {
            Probe = RunningApp.FastProbe(app),
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var (victim, victimAddress) = (await ReplicaEndpoints.GetAddressesAsync(app.ResourceNotifications,
            app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == "prober"), "grpc", timeout.Token)).First();

        // The dashboard's Stop command. DCP signals the replica's own process (the AppHost starts each service as its
        // built program, BuildOutputLaunch), which shuts down and exits: the command succeeds instead of timing out.
        var servicePid = (await RunningApp.ProcessesAsync(app, "prober"))[victim];
        var stopped = await app.ResourceCommands.ExecuteCommandAsync(victim, KnownResourceCommands.StopCommand);
        Assert.True(stopped.Success, stopped.Message);
        await WaitForStoppedAsync(app, victim, KnownResourceCommands.StopCommand);
        Assert.False(ProcessTable.IsAlive(servicePid), $"{victim} is stopped but its process {servicePid} still runs");

        var whileStopped = await WaitForAsync(runner, probe, reply => reply.Results.Any(r => r.Address == victimAddress && (StatusCode)r.StatusCode == StatusCode.Unavailable));
        Assert.Equal(RunningApp.SystemReplicas["prober"], whileStopped.Results.Count);
        Assert.All(whileStopped.Results.Where(r => r.Address != victimAddress), r => Assert.Equal(StatusCode.OK, (StatusCode)r.StatusCode));

        // The dashboard's Start command brings it back.
        var started = await app.ResourceCommands.ExecuteCommandAsync(victim, KnownResourceCommands.StartCommand);
        Assert.True(started.Success, started.Message);

        // The runner was given each replica's address once: the restarted replica must answer on the same one.
        var afterStart = await WaitForAsync(runner, probe, reply => reply.Results.All(r => (StatusCode)r.StatusCode == StatusCode.OK));
        Assert.Contains(afterStart.Results, r => r.Address == victimAddress);
    }

    [Fact]
    public async Task Disposing_the_app_stops_every_service_process_and_DCP()
    {
        var app = await RunningApp.StartAsync();
        int[] processes;
        try
        {
            // The testing builder's DCP watches the test process; with it come its controllers and process monitors.
            var system = ProcessTable.SystemProcesses(Environment.ProcessId).ToArray();
            processes = [.. system.Concat(system.SelectMany(ProcessTable.DescendantsOf)).Distinct()];
            // Each replica (six) runs as its built program: one process each, beside DCP's.
            var services = processes.Count(ProcessTable.RunsAService);
            Assert.True(services == RunningApp.SystemReplicas.Values.Sum() && processes.Length > services,
                $"{services} service processes and {processes.Length - services} others found: {string.Join(", ", processes)}");
        }
        finally
        {
            await app.DisposeAsync();
        }

        Assert.Empty(await ProcessTable.SurvivorsAsync(processes, TimeSpan.FromSeconds(30)));
    }

    /// <summary>Waits until the replica <paramref name="replicaId"/> has exited.</summary>
    private static async Task WaitForStoppedAsync(DistributedApplication app, string replicaId, string command)
    {
        string? state = null;
        using var timeout = new CancellationTokenSource(s_settleLimit);
        try
        {
            await foreach (var update in app.ResourceNotifications.WatchAsync(timeout.Token))
            {
                if (update.ResourceId == replicaId)
                {
                    state = update.Snapshot.State?.Text;
                    if (state == KnownResourceStates.Exited || state == KnownResourceStates.Finished)
                    {
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"Within {s_settleLimit.TotalSeconds} s {replicaId} did not stop (stop command: {command}); its state is {state}.");
        }
    }

    /// <summary>Calls ProbeAll (the runner's fan-out) until <paramref name="settled"/> holds for its reply.</summary>
    private static async Task<ProbeAllReply> WaitForAsync(Runner.V1.Runner.RunnerClient runner, ProbeAllRequest probe, Func<ProbeAllReply, bool> settled)
    {
        var deadline = DateTime.UtcNow + s_settleLimit;
        while (true)
        {
            var reply = await runner.ProbeAllAsync(probe, deadline: DateTime.UtcNow.AddSeconds(30));
            if (settled(reply))
            {
                return reply;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Within {s_settleLimit.TotalSeconds} s ProbeAll did not settle: " +
                    string.Join("; ", reply.Results.Select(r => $"{r.Address} {(StatusCode)r.StatusCode} {r.StatusMessage}")));
            }
            await Task.Delay(500);
        }
    }
}
