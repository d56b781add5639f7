using Aspire.DashboardService.Proto.V1;
using AspireProber.Dashboard.ResourceService;
using AspireProber.Dashboard.Tests.Infrastructure;
using AspireProber.ProbeRunner.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AspireProber.Dashboard.Tests.ResourceService;

/// <summary>The dashboard's resource service client against a real gRPC server running the fake service.</summary>
public sealed class ResourceServiceClientTests
{
    [Fact]
    public async Task The_snapshot_holds_the_initial_resources_then_applies_upserts_and_deletions()
    {
        var fake = new FakeResourceService();
        fake.Upsert(FakeResourceService.Project("prober-0", "Running"), FakeResourceService.Project("prober-1", "Starting", "info", 1));
        await using var service = await KestrelGrpcServer.StartAsync(fake);
        await using var dashboard = await TestDashboard.StartAsync(resourceService: service.Address);
        var snapshot = dashboard.Services.GetRequiredService<ResourceSnapshot>();

        await Eventually.TrueAsync(() => snapshot.GetResources().Count == 2, "the initial data arrived");
        Assert.Equal(ResourceServiceConnection.Connected, snapshot.Connection);
        Assert.Equal("FakeApp", snapshot.ApplicationName);
        Assert.Equal(["prober-0", "prober-1"], snapshot.GetResources().Select(r => r.Name));

        fake.Upsert(FakeResourceService.Project("prober-1", "Running", "success", 1));
        fake.Delete("prober-0");
        await Eventually.TrueAsync(() => snapshot.GetResources() is [{ Name: "prober-1", State: "Running" }], "the upsert and deletion were applied");
    }

    [Fact]
    public async Task A_broken_stream_is_reopened_with_is_reconnect_and_the_snapshot_catches_up()
    {
        var fake = new FakeResourceService();
        fake.Upsert(FakeResourceService.Project("runner", "Running"));
        await using var service = await KestrelGrpcServer.StartAsync(fake);
        await using var dashboard = await TestDashboard.StartAsync(resourceService: service.Address);
        var snapshot = dashboard.Services.GetRequiredService<ResourceSnapshot>();
        await Eventually.TrueAsync(() => snapshot.Connection == ResourceServiceConnection.Connected, "connected");

        fake.BreakStreams();
        // A change made while no stream is open must still show up: the reconnect's initial data carries it.
        fake.Upsert(FakeResourceService.Project("runner", "Exited", "warning"));

        await Eventually.TrueAsync(() => snapshot.Find("runner")?.State == "Exited", "the reconnected snapshot shows the change");
        Assert.Equal(ResourceServiceConnection.Connected, snapshot.Connection);
        var requests = fake.WatchRequests;
        Assert.False(requests[0].IsReconnect);
        Assert.True(requests[^1].IsReconnect);
    }

    [Fact]
    public async Task Commands_are_sent_with_the_resource_type_and_failures_come_back_as_messages()
    {
        var fake = new FakeResourceService();
        fake.Upsert(FakeResourceService.Project("prober-0", "Running"));
        await using var service = await KestrelGrpcServer.StartAsync(fake);
        await using var dashboard = await TestDashboard.StartAsync(resourceService: service.Address);
        var snapshot = dashboard.Services.GetRequiredService<ResourceSnapshot>();
        var client = dashboard.Services.GetRequiredService<ResourceServiceClient>();
        await Eventually.TrueAsync(() => snapshot.Find("prober-0") is not null, "the resource is known");

        var stopped = await client.ExecuteCommandAsync("prober-0", "stop", CancellationToken.None);
        var unknown = await client.ExecuteCommandAsync("nobody", "stop", CancellationToken.None);

        Assert.Equal(ResourceCommandResponseKind.Succeeded, stopped.Kind);
        var request = Assert.Single(fake.Commands);
        Assert.Equal(("stop", "prober-0", "Project"), (request.CommandName, request.ResourceName, request.ResourceType));
        Assert.Equal(ResourceCommandResponseKind.Failed, unknown.Kind);
        Assert.Contains("nobody", unknown.ErrorMessage);
    }

    [Fact]
    public async Task Console_lines_are_followed_live_and_not_repeated_after_a_reconnect()
    {
        var fake = new FakeResourceService();
        fake.Upsert(FakeResourceService.Project("prober-0", "Running"));
        fake.Print("prober-0", "started");
        await using var service = await KestrelGrpcServer.StartAsync(fake);
        await using var dashboard = await TestDashboard.StartAsync(resourceService: service.Address);
        var tail = dashboard.Services.GetRequiredService<ConsoleLogs>().Follow("prober-0")!;
        await Eventually.TrueAsync(() => tail.GetLines(null, 100).Count == 1, "the kept line arrived");

        fake.Print("prober-0", "boom", stdErr: true);
        await Eventually.TrueAsync(() => tail.GetLines(null, 100).Count == 2, "the new line arrived");
        fake.BreakStreams();
        fake.Print("prober-0", "after the break");
        await Eventually.TrueAsync(() => tail.GetLines(null, 100).Count == 3, "the line printed during the break arrived");
        await Task.Delay(200); // would-be duplicates from the resent history have had time to arrive

        var lines = tail.GetLines(null, 100);
        Assert.Equal([(1, "started", false), (2, "boom", true), (3, "after the break", false)], lines.Select(l => (l.Number, l.Text, l.IsStdErr)));
        Assert.Equal(["boom"], tail.GetLines("BOO", 100).Select(l => l.Text));
    }

    [Fact]
    public async Task Following_an_unknown_resource_reports_it()
    {
        var fake = new FakeResourceService();
        await using var service = await KestrelGrpcServer.StartAsync(fake);
        await using var dashboard = await TestDashboard.StartAsync(resourceService: service.Address);

        var tail = dashboard.Services.GetRequiredService<ConsoleLogs>().Follow("ghost")!;

        await Eventually.TrueAsync(() => tail.Error is not null, "the NOT_FOUND was reported");
        Assert.Contains("ghost", tail.Error);
    }

    [Fact]
    public void A_malformed_endpoint_url_fails_with_a_message_naming_the_setting()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [ResourceServiceOptions.EndpointKey] = "localhost:5000" }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => ResourceServiceOptions.FromConfiguration(configuration));

        Assert.Contains(ResourceServiceOptions.EndpointKey, error.Message);
    }
}
