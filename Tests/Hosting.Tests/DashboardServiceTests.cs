using Aspire.DashboardService.Proto.V1;
using Aspire.Hosting;
using AspireProber.Hosting.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using KnownResourceStates = Aspire.Hosting.ApplicationModel.KnownResourceStates;

namespace AspireProber.Hosting.Tests;

/// <summary>The resource service (aspire.v1.DashboardService) of a running model, through a real gRPC client.</summary>
public sealed class DashboardServiceTests
{
    [Fact]
    public async Task The_snapshot_lists_one_resource_per_replica_with_state_urls_env_properties_commands_and_relationships()
    {
        var builder = TestApps.CreateBuilder();
        var web = builder.AddEcho("web").WithReplicas(2);
        builder.AddEcho("client").WithReference(web).WaitFor(web);
        await using var app = builder.Build();
        await app.StartAsync();
        await app.WaitHealthyAsync("client");
        using var service = new ResourceServiceClient(app);

        var resources = await service.WatchUntilAsync(r => r.Count == 3 && r.Values.All(x => x.State == KnownResourceStates.Running));

        Assert.Equal(new[] { "client-0", "web-0", "web-1" }, resources.Keys.Order());
        var web1 = resources["web-1"];
        Assert.Equal("web", web1.DisplayName);
        Assert.Equal("Project", web1.ResourceType);
        Assert.Equal("success", web1.StateStyle);
        Assert.Equal(app.Url("web", 1), Assert.Single(web1.Urls).FullUrl);
        Assert.Contains(web1.Environment, e => e.Name == "OTEL_RESOURCE_ATTRIBUTES" && e.Value == "service.instance.id=web-1");
        Assert.Equal(1, web1.Properties.Single(p => p.Name == "resource.replicaIndex").Value.NumberValue);
        Assert.Equal(2, web1.Properties.Single(p => p.Name == "resource.replicaCount").Value.NumberValue);
        Assert.Equal(app.ResourceNotifications.GetCurrentState("web", 1)!.Snapshot.ProcessId, (int)web1.Properties.Single(p => p.Name == "executable.pid").Value.NumberValue);
        var health = Assert.Single(web1.HealthReports);
        Assert.True(health.HasStatus);
        Assert.Equal(HealthStatus.Healthy, health.Status);
        Assert.NotNull(web1.StartedAt);
        Assert.Equal(ResourceCommandState.Enabled, web1.Commands.Single(c => c.Name == "stop").State);
        Assert.Equal(ResourceCommandState.Disabled, web1.Commands.Single(c => c.Name == "start").State);
        Assert.Equal(new[] { "Reference:web", "WaitFor:web" }, resources["client-0"].Relationships.Select(r => $"{r.Type}:{r.ResourceName}").Order());
        Assert.Contains(resources["client-0"].Environment, e => e.Name == "services__web__http__1" && e.Value == app.Url("web", 1));
    }

    [Fact]
    public async Task Stop_and_start_commands_show_as_upserts_with_exited_then_running_state()
    {
        var builder = TestApps.CreateBuilder();
        builder.AddEcho("web").WithReplicas(2);
        await using var app = builder.Build();
        await app.StartAsync();
        await app.WaitHealthyAsync("web");
        using var service = new ResourceServiceClient(app);
        var watch = service.WatchUntilAsync(r => r.TryGetValue("web-1", out var w) && w.State == KnownResourceStates.Exited);

        var stop = await service.Client.ExecuteResourceCommandAsync(new ResourceCommandRequest { CommandName = "stop", ResourceName = "web-1", ResourceType = "Project" });

        Assert.Equal(ResourceCommandResponseKind.Succeeded, stop.Kind);
        var stopped = (await watch)["web-1"];
        Assert.Equal(0, stopped.Properties.Single(p => p.Name == "resource.exitCode").Value.NumberValue);
        Assert.NotNull(stopped.StoppedAt);
        Assert.Equal(ResourceCommandState.Enabled, stopped.Commands.Single(c => c.Name == "start").State);
        Assert.Equal(ResourceCommandState.Disabled, stopped.Commands.Single(c => c.Name == "stop").State);
        Assert.True(Assert.Single(stopped.Urls).IsInactive);
        Assert.Equal(KnownResourceStates.Running, app.ResourceNotifications.GetCurrentState("web", 0)!.Snapshot.State);

        var start = await service.Client.ExecuteResourceCommandAsync(new ResourceCommandRequest { CommandName = "start", ResourceName = "web-1", ResourceType = "Project" });

        Assert.Equal(ResourceCommandResponseKind.Succeeded, start.Kind);
        var restarted = (await service.WatchUntilAsync(r => r["web-1"].State == KnownResourceStates.Running))["web-1"];
        Assert.Equal(1, restarted.Properties.Single(p => p.Name == "resource.restartCount").Value.NumberValue);
    }

    [Fact]
    public async Task Console_logs_stream_the_kept_lines_then_follow_and_suppress_follow_ends_after_the_kept_ones()
    {
        var builder = TestApps.CreateBuilder();
        builder.AddEcho("web").WithArgs("--log-lines=3");
        await using var app = builder.Build();
        await app.StartAsync();
        await app.WaitHealthyAsync("web");
        using var service = new ResourceServiceClient(app);

        using var timeout = new CancellationTokenSource(AppExtensions.Timeout);
        using var kept = service.Client.WatchResourceConsoleLogs(new WatchResourceConsoleLogsRequest { ResourceName = "web-0", SuppressFollow = true }, cancellationToken: timeout.Token);
        var keptLines = new List<ConsoleLogLine>();
        await foreach (var update in kept.ResponseStream.ReadAllAsync(timeout.Token))
        {
            keptLines.AddRange(update.LogLines);
        }

        Assert.Equal(new[] { "line 1", "line 2", "line 3" }, keptLines.Where(l => !l.IsStdErr).Select(l => l.Text).Take(3));
        Assert.Contains(keptLines, l => l.IsStdErr && l.Text == "echo app started");
        Assert.Equal(Enumerable.Range(1, keptLines.Count), keptLines.Select(l => l.LineNumber));

        // Following: the kept lines first, then whatever the process prints next (a restart's new output).
        using var cancel = new CancellationTokenSource(AppExtensions.Timeout);
        using var follow = service.Client.WatchResourceConsoleLogs(new WatchResourceConsoleLogsRequest { ResourceName = "web-0" }, cancellationToken: cancel.Token);
        var followed = new List<ConsoleLogLine>();
        var restarted = false;
        await foreach (var update in follow.ResponseStream.ReadAllAsync(cancel.Token))
        {
            followed.AddRange(update.LogLines);
            if (!restarted && followed.Count >= keptLines.Count)
            {
                restarted = true;
                await app.ResourceCommands.RestartResourceAsync("web");
            }
            if (followed.Count(l => l.Text == "line 3") == 2)
            {
                break;
            }
        }
        Assert.Equal(keptLines.Select(l => l.Text), followed.Take(keptLines.Count).Select(l => l.Text));
    }

    [Fact]
    public async Task Unknown_resource_or_command_names_answer_NOT_FOUND_with_what_exists()
    {
        var builder = TestApps.CreateBuilder();
        builder.AddEcho("web");
        await using var app = builder.Build();
        await app.StartAsync();
        using var service = new ResourceServiceClient(app);

        var logs = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = service.Client.WatchResourceConsoleLogs(new WatchResourceConsoleLogsRequest { ResourceName = "web" });
            await call.ResponseStream.MoveNext(CancellationToken.None);
        });
        var resource = await Assert.ThrowsAsync<RpcException>(() => service.Client.ExecuteResourceCommandAsync(new ResourceCommandRequest { CommandName = "stop", ResourceName = "nope-0" }).ResponseAsync);
        var command = await Assert.ThrowsAsync<RpcException>(() => service.Client.ExecuteResourceCommandAsync(new ResourceCommandRequest { CommandName = "explode", ResourceName = "web-0" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, logs.StatusCode);
        Assert.Contains("'web'", logs.Status.Detail);
        Assert.Contains("web-0", logs.Status.Detail);
        Assert.Equal(StatusCode.NotFound, resource.StatusCode);
        Assert.Contains("'nope-0'", resource.Status.Detail);
        Assert.Equal(StatusCode.NotFound, command.StatusCode);
        Assert.Contains("'explode'", command.Status.Detail);
    }

    [Fact]
    public async Task Application_information_names_the_AppHost()
    {
        await using var app = TestApps.CreateBuilder().Build();
        await app.StartAsync();
        using var service = new ResourceServiceClient(app);

        var info = await service.Client.GetApplicationInformationAsync(new ApplicationInformationRequest());

        Assert.Equal(app.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostEnvironment>().ApplicationName, info.ApplicationName);
    }
}
