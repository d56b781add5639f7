using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using AspireProber.Hosting.Tests.Infrastructure;

namespace AspireProber.Hosting.Tests;

/// <summary>WaitFor: a dependent starts after its dependency is healthy, stays Waiting while it is not, fails if it fails.</summary>
public sealed class WaitForTests
{
    [Fact]
    public async Task A_dependent_starts_only_after_its_dependency_is_healthy()
    {
        var builder = TestApps.CreateBuilder();
        var db = builder.AddEcho("db").WithEnvironment("ECHO_HEALTHY_AFTER_MS", "1500");
        builder.AddEcho("api").WaitFor(db);
        await using var app = builder.Build();
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

        await app.StartAsync();
        await app.WaitHealthyAsync("api");
        await watching.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watch);

        var dbUnhealthy = events.FindIndex(e => e.Resource.Name == "db" && e.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy);
        var dbHealthy = events.FindIndex(e => e.Resource.Name == "db" && e.Snapshot.IsHealthy);
        var apiWaiting = events.FindIndex(e => e.Resource.Name == "api" && e.Snapshot.State == KnownResourceStates.Waiting);
        var apiStarting = events.FindIndex(e => e.Resource.Name == "api" && e.Snapshot.State == KnownResourceStates.Starting);
        Assert.True(dbUnhealthy >= 0 && apiWaiting >= 0, "db was unhealthy for a while and api waited");
        Assert.True(dbHealthy < apiStarting, $"api started (event {apiStarting}) before db was healthy (event {dbHealthy})");
    }

    [Fact]
    public async Task A_dependency_that_never_becomes_healthy_leaves_the_dependent_waiting()
    {
        var builder = TestApps.CreateBuilder();
        var db = builder.AddEcho("db").WithEnvironment("ECHO_UNHEALTHY", "1");
        builder.AddEcho("api").WaitFor(db);
        await using var app = builder.Build();

        await app.StartAsync();
        await app.ResourceNotifications.WaitForResourceAsync("db", e => e.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy).WaitAsync(AppExtensions.Timeout);
        await Task.Delay(1000);

        var api = app.ResourceNotifications.GetCurrentState("api")!.Snapshot;
        Assert.Equal(KnownResourceStates.Waiting, api.State);
        Assert.Null(api.ProcessId);
        Assert.Contains("db", api.Reason);
    }

    [Fact]
    public async Task A_dependency_that_exits_fails_the_dependent_and_reports_its_exit_code()
    {
        var builder = TestApps.CreateBuilder();
        var job = builder.AddEcho("job").WithArgs("--exit-code=3");
        builder.AddEcho("api").WaitFor(job);
        await using var app = builder.Build();

        await app.StartAsync();
        var exited = await app.WaitForStateAsync("job", KnownResourceStates.Exited);
        var api = await app.WaitForStateAsync("api", KnownResourceStates.FailedToStart);

        Assert.Equal(3, exited.Snapshot.ExitCode);
        Assert.Contains("'job-0' is Exited (3)", api.Snapshot.Reason);
        Assert.Contains(app.ResourceLogs.GetBacklog("job-0"), line => line.Content == "exiting with 3");
    }
}
