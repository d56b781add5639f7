using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using AspireProber.Hosting.Tests.Infrastructure;

namespace AspireProber.Hosting.Tests;

/// <summary>Failure states, stop/start/restart of one replica, and shutdown order.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public async Task A_missing_executable_fails_to_start_with_the_reason()
    {
        var builder = TestApps.CreateBuilder();
        builder.AddExecutable("ghost", "no-such-program-4c1d", ".");
        await using var app = builder.Build();

        await app.StartAsync();
        var failed = await app.WaitForStateAsync("ghost", KnownResourceStates.FailedToStart);

        Assert.Contains("'no-such-program-4c1d' was not found", failed.Snapshot.Reason);
    }

    [Fact]
    public async Task One_replica_stops_and_starts_again_on_the_same_port_while_the_other_keeps_serving()
    {
        var builder = TestApps.CreateBuilder();
        builder.AddEcho("web").WithReplicas(2);
        await using var app = builder.Build();
        await app.StartAsync();
        await app.WaitHealthyAsync("web");
        var firstPid = app.ResourceNotifications.GetCurrentState("web", 1)!.Snapshot.ProcessId;

        await app.ResourceCommands.StopResourceAsync("web", 1);

        var stopped = app.ResourceNotifications.GetCurrentState("web", 1)!.Snapshot;
        Assert.Equal(KnownResourceStates.Exited, stopped.State);
        Assert.Equal(0, stopped.ExitCode);
        Assert.True(app.ResourceNotifications.GetCurrentState("web", 0)!.Snapshot.IsHealthy);
        Assert.Equal(200, await AppExtensions.GetStatusAsync(app.Url("web", 0) + "/health"));
        await Assert.ThrowsAsync<HttpRequestException>(() => AppExtensions.GetStatusAsync(app.Url("web", 1) + "/health"));

        await app.ResourceCommands.StartResourceAsync("web", 1);
        await app.WaitHealthyAsync("web");

        Assert.Equal(200, await AppExtensions.GetStatusAsync(app.Url("web", 1) + "/health"));
        Assert.NotEqual(firstPid, app.ResourceNotifications.GetCurrentState("web", 1)!.Snapshot.ProcessId);
    }

    [Fact]
    public async Task Restart_replaces_the_process()
    {
        var builder = TestApps.CreateBuilder();
        builder.AddExecutable("sleeper", "sleep", ".", "300");
        await using var app = builder.Build();
        await app.StartAsync();
        var first = (await app.WaitForStateAsync("sleeper", KnownResourceStates.Running)).Snapshot.ProcessId;

        await app.ResourceCommands.RestartResourceAsync("sleeper");

        var snapshot = app.ResourceNotifications.GetCurrentState("sleeper")!.Snapshot;
        Assert.Equal(KnownResourceStates.Running, snapshot.State);
        Assert.NotEqual(first, snapshot.ProcessId);
        Assert.False(ProcessAlive(first!.Value));
    }

    [Fact]
    public async Task Shutdown_stops_dependents_first_and_gracefully()
    {
        var builder = TestApps.CreateBuilder();
        var store = builder.AddEcho("store");
        var api = builder.AddEcho("api").WithReference(store).WaitFor(store);
        builder.AddEcho("edge").WithReference(api).WaitFor(api);
        await using var app = builder.Build();
        await app.StartAsync();
        await app.WaitHealthyAsync("edge");
        var events = new List<ResourceEvent>();
        using var watching = new CancellationTokenSource();
        var watch = Task.Run(async () =>
        {
            await foreach (var e in app.ResourceNotifications.WatchAsync(watching.Token))
            {
                lock (events)
                {
                    events.Add(e);
                }
            }
        });

        await app.StopAsync();
        await watching.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watch);

        int Index(string name, string state) => events.FindIndex(e => e.Resource.Name == name && e.Snapshot.State == state);
        Assert.True(Index("edge", KnownResourceStates.Exited) < Index("api", KnownResourceStates.Stopping), "edge exits before api is stopped");
        Assert.True(Index("api", KnownResourceStates.Exited) < Index("store", KnownResourceStates.Stopping), "api exits before store is stopped");
        // Exit code 0: each ASP.NET app shut down on SIGTERM (a SIGKILL would show as 137).
        Assert.All(events.Where(e => e.Snapshot.State == KnownResourceStates.Exited), e => Assert.Equal(0, e.Snapshot.ExitCode));
    }

    [Fact]
    public async Task A_process_that_ignores_SIGTERM_is_killed_after_the_stop_timeout()
    {
        var builder = TestApps.CreateBuilder("--AppHost:StopTimeout=00:00:01");
        builder.AddExecutable("stubborn", "bash", ".", "-c", "trap '' TERM; echo ready; while true; do sleep 0.2; done");
        await using var app = builder.Build();
        await app.StartAsync();
        var pid = (await app.WaitForStateAsync("stubborn", KnownResourceStates.Running)).Snapshot.ProcessId!.Value;
        await WaitForLogAsync(app, "stubborn-0", "ready");

        await app.ResourceCommands.StopResourceAsync("stubborn");

        Assert.Equal(137, app.ResourceNotifications.GetCurrentState("stubborn")!.Snapshot.ExitCode);
        Assert.False(ProcessAlive(pid));
    }

    internal static async Task WaitForLogAsync(DistributedApplication app, string replicaName, string content)
    {
        await foreach (var batch in app.ResourceLogs.WatchAsync(replicaName).WithCancellation(new CancellationTokenSource(AppExtensions.Timeout).Token))
        {
            if (batch.Any(line => line.Content == content))
            {
                return;
            }
        }
    }

    internal static bool ProcessAlive(int pid) => Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2].Equals("Z", StringComparison.Ordinal);
}
