using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using AspireProber.Runner.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;

namespace AspireProber.AppHost.Tests;

/// <summary>
/// A prober replica that dies and is started again with the dashboard's Start command (through
/// ResourceCommandService), and every process of the system gone once the app is disposed. Its own app: it changes the system it runs.
/// </summary>
public sealed class ReplicaLifecycleTests
{
    private static readonly TimeSpan s_settleLimit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_dead_replica_is_UNAVAILABLE_under_its_own_address_the_others_answer_and_after_Start_all_do()
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

        // The replica dies: its service process is killed (the `dotnet run` DCP started then exits with it). DCP's
        // own stop command is not used here: the signal it sends never reaches the service under `dotnet run` (which
        // ignores SIGINT and leaves it to the terminal's process group; bench/README.md, AppHostBench), so the
        // command times out after about 10 s before DCP kills the process.
        var dotnetRun = (await RunningApp.ProcessesAsync(app, "prober"))[victim];
        foreach (var child in ProcessTable.ChildrenOf(dotnetRun))
        {
            System.Diagnostics.Process.GetProcessById(child).Kill();
        }
        await WaitForStoppedAsync(app, victim, $"killed the children of {dotnetRun}");

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
            // The testing builder's DCP watches the test process.
            processes = [.. ProcessTable.SystemProcesses(Environment.ProcessId)];
            // Each replica (six) runs as `dotnet run` and the service it starts; DCP runs beside them.
            Assert.True(processes.Length >= 2 * RunningApp.SystemReplicas.Values.Sum(), $"Only {processes.Length} processes of the system found: {string.Join(", ", processes)}");
        }
        finally
        {
            await app.DisposeAsync();
        }

        Assert.Empty(await ProcessTable.SurvivorsAsync(processes, TimeSpan.FromSeconds(30)));
    }

    /// <summary>Waits until the replica <paramref name="replicaId"/> has exited.</summary>
    private static async Task WaitForStoppedAsync(DistributedApplication app, string replicaId, string? command)
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
