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
        // own stop command is not used here: it gives a replica about 10 s, and under DCP the signal has been seen
        // not to reach the service in that time on this machine.
        var dotnetRun = (await RunningApp.ProcessesAsync(app, "prober"))[victim];
        foreach (var child in ChildrenOf(dotnetRun))
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
            processes = [.. SystemProcesses()];
            // Each replica (six) runs as `dotnet run` and the service it starts; DCP runs beside them.
            Assert.True(processes.Length >= 2 * RunningApp.SystemReplicas.Values.Sum(), $"Only {processes.Length} processes of the system found: {string.Join(", ", processes)}");
        }
        finally
        {
            await app.DisposeAsync();
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (processes.Any(IsAlive) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }
        Assert.Empty(processes.Where(IsAlive).Select(pid => $"{pid}: {CommandLine(pid)}"));
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

    /// <summary>
    /// The processes the app started: DCP (told to watch this process) and every process running one of the four
    /// services' projects (`dotnet run --project` and the service it runs), by their folders in this repository.
    /// </summary>
    private static IEnumerable<int> SystemProcesses()
    {
        string[] services = [.. new[] { "ProbeTarget", "ProberService", "StockStreamService", "ProbeRunner" }
            .Select(folder => Path.Combine(RepoPaths.Root(), folder) + Path.DirectorySeparatorChar)];
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && pid != Environment.ProcessId
                && CommandLine(pid) is { } command
                && (command.Contains($"--monitor {Environment.ProcessId}", StringComparison.Ordinal)
                    || services.Any(folder => command.Contains(folder, StringComparison.Ordinal))))
            {
                yield return pid;
            }
        }
    }

    /// <summary>The processes whose parent is <paramref name="pid"/>.</summary>
    private static int[] ChildrenOf(int pid) => [.. Directory.EnumerateDirectories("/proc")
        .Select(d => int.TryParse(Path.GetFileName(d), out var child) ? child : 0)
        .Where(child => child > 0 && ParentOf(child) == pid)];

    private static int ParentOf(int pid) =>
        StatFields(pid) is [_, var parent, ..] ? int.Parse(parent, System.Globalization.CultureInfo.InvariantCulture) : 0;

    /// <summary>
    /// The fields of /proc/<paramref name="pid"/>/stat after "pid (comm) " (state, ppid, ...), or none when the
    /// process is gone. comm may hold spaces and parentheses, so the fields start after its last ')'.
    /// </summary>
    private static string[] StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return [];
        }
    }

    private static string? CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Running and not a zombie waiting for its parent to reap it.</summary>
    private static bool IsAlive(int pid) => StatFields(pid) is [var state, ..] && state != "Z";
}
