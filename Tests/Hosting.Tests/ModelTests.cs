using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Orchestration;
using AspireProber.Hosting.Tests.Infrastructure;

namespace AspireProber.Hosting.Tests;

/// <summary>The app model: annotations the builders add, and what Build rejects.</summary>
public sealed class ModelTests
{
    [Fact]
    public void Builders_record_endpoints_replicas_waits_references_and_health_checks()
    {
        var builder = TestApps.CreateBuilder();
        var prober = builder.AddEcho("prober").WithEndpoint(name: "grpc", transport: EndpointTransports.Http2).WithGrpcHealthCheck().WithReplicas(2).WithReplicas(3);
        var runner = builder.AddEcho("runner").WithReference(prober).WaitFor(prober).Resource;

        Assert.Equal(3, prober.Resource.GetReplicaCount());
        Assert.Equal(EndpointTransports.Http2, prober.Resource.GetEndpoint("grpc")!.Transport);
        Assert.Equal([HealthCheckKind.Http, HealthCheckKind.Grpc], prober.Resource.Annotations.OfType<HealthCheckAnnotation>().Select(h => h.Kind));
        Assert.Equal(prober.Resource, Assert.Single(runner.Annotations.OfType<WaitAnnotation>()).Resource);
        Assert.Equal(["Reference", "WaitFor"], runner.Annotations.OfType<ResourceRelationshipAnnotation>().Select(r => r.Type));
        Assert.Equal(TestApps.EchoProject, ((ProjectResource)prober.Resource).ProjectPath);
    }

    [Fact]
    public void AddProject_of_a_metadata_type_uses_its_path()
    {
        var builder = TestApps.CreateBuilder();

        var echo = builder.AddProject<EchoMetadata>("echo");

        Assert.Equal(TestApps.EchoProject, echo.Resource.ProjectPath);
    }

    [Theory]
    [InlineData("1st")]
    [InlineData("a--b")]
    [InlineData("trailing-")]
    [InlineData("under_score")]
    public void Invalid_resource_names_are_rejected(string name)
    {
        var builder = TestApps.CreateBuilder();

        Assert.Throws<DistributedApplicationException>(() => builder.AddExecutable(name, "sleep", "."));
    }

    [Fact]
    public void Duplicate_names_and_endpoints_are_rejected()
    {
        var builder = TestApps.CreateBuilder();
        var a = builder.AddExecutable("a", "sleep", ".").WithHttpEndpoint();

        Assert.Throws<DistributedApplicationException>(() => builder.AddExecutable("A", "sleep", "."));
        Assert.Throws<DistributedApplicationException>(() => a.WithHttpEndpoint());
        Assert.Throws<DistributedApplicationException>(() => a.WithGrpcHealthCheck());
    }

    [Fact]
    public void A_WaitFor_cycle_fails_the_build_naming_the_cycle()
    {
        var builder = TestApps.CreateBuilder();
        var a = builder.AddExecutable("a", "sleep", ".");
        var b = builder.AddExecutable("b", "sleep", ".").WaitFor(a);
        a.WaitFor(b);

        var error = Assert.Throws<DistributedApplicationException>(() => builder.Build());

        Assert.Contains("a -> b -> a", error.Message);
    }

    [Fact]
    public void Stop_groups_put_dependents_before_dependencies_and_tolerate_reference_cycles()
    {
        var builder = TestApps.CreateBuilder();
        var store = builder.AddExecutable("store", "sleep", ".").WithHttpEndpoint();
        var api = builder.AddExecutable("api", "sleep", ".").WithHttpEndpoint().WithReference(store).WaitFor(store);
        var edge = builder.AddExecutable("edge", "sleep", ".").WithReference(api);
        store.WithReference(api);

        var groups = DependencyOrder.StopGroups(builder.Resources);

        Assert.Equal("edge | api | store", string.Join(" | ", groups.Select(g => string.Join(",", g.Select(r => r.Name)))));
        Assert.NotNull(edge);
    }

    [Fact]
    public void The_console_table_shows_state_and_urls_or_reason()
    {
        var resource = new ExecutableResource("web", "sleep", ".");
        var table = ConsoleResourceTable.Render(
        [
            new ResourceEvent(resource, 0, new ResourceSnapshot { State = KnownResourceStates.Running, HealthStatus = Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, Urls = ["http://127.0.0.1:5000"] }),
            new ResourceEvent(resource, 1, new ResourceSnapshot { State = KnownResourceStates.FailedToStart, Reason = "boom" }),
        ]);

        Assert.Contains("web-0     Running (Healthy)  http://127.0.0.1:5000", table);
        Assert.Contains("web-1     FailedToStart      boom", table);
    }

    [Fact]
    public void The_console_table_ends_with_the_dashboard_login_url_while_the_dashboard_runs()
    {
        var builder = TestApps.CreateBuilder();
        var dashboard = builder.AddExecutable("aspire-dashboard", "dotnet", ".").WithHttpEndpoint()
            .WithAnnotation(new DashboardAnnotation("token123", "key456")).Resource;
        var ui = dashboard.GetEndpoint("http")!;
        ui.SetAllocatedEndpoints([new AllocatedEndpoint(ui, "127.0.0.1", 18888, 18888)]);

        var running = ConsoleResourceTable.Render([new ResourceEvent(dashboard, 0, new ResourceSnapshot { State = KnownResourceStates.Running })]);
        var stopped = ConsoleResourceTable.Render([new ResourceEvent(dashboard, 0, new ResourceSnapshot { State = KnownResourceStates.Exited })]);

        Assert.EndsWith("Login to the dashboard at http://127.0.0.1:18888/login?t=token123" + Environment.NewLine, running);
        Assert.DoesNotContain("Login to the dashboard", stopped);
    }

    private sealed class EchoMetadata : IProjectMetadata
    {
        public string ProjectPath => TestApps.EchoProject;
    }
}
