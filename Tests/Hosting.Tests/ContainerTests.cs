using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Orchestration;
using AspireProber.Hosting.Tests.Infrastructure;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace AspireProber.Hosting.Tests;

/// <summary>Containers without an engine: RuntimeUnavailable with a way out, or the executable fallback; with one: the docker run command.</summary>
public sealed class ContainerTests
{
    [Fact]
    public async Task Without_an_engine_or_fallback_a_container_is_RuntimeUnavailable_with_how_to_get_one()
    {
        var builder = TestApps.CreateBuilder();
        builder.AddContainer("grafana", "grafana/grafana").WithHttpEndpoint(targetPort: 3000);
        await using var app = builder.Build();

        await app.StartAsync();
        var unavailable = await app.WaitForStateAsync("grafana", KnownResourceStates.RuntimeUnavailable);

        Assert.Contains("install Docker", unavailable.Snapshot.Reason);
        Assert.Contains("grafana/grafana:latest", unavailable.Snapshot.Reason);
    }

    [Fact]
    public async Task A_missing_fallback_names_how_to_install_it()
    {
        var builder = TestApps.CreateBuilder();
        builder.AddContainer("prometheus", "prom/prometheus").WithExecutableFallback("no-such-prometheus-77", [], "apt-get install prometheus");
        await using var app = builder.Build();

        await app.StartAsync();
        var unavailable = await app.WaitForStateAsync("prometheus", KnownResourceStates.RuntimeUnavailable);

        Assert.Equal("Container engine disabled by AppHost:ContainerRuntime=none and the executable fallback 'no-such-prometheus-77' is not on PATH; install Docker, or `apt-get install prometheus` for the fallback.", unavailable.Snapshot.Reason);
    }

    [Fact]
    public async Task Without_an_engine_the_executable_fallback_runs_on_the_allocated_port()
    {
        var builder = TestApps.CreateBuilder();
        builder.AddContainer("files", "python", "3")
            .WithHttpEndpoint(targetPort: 8000)
            .WithHttpHealthCheck("/")
            .WithExecutableFallback("python3", context =>
            {
                foreach (var arg in new[] { "-m", "http.server", context.GetEndpoint("http").Port.ToString(), "--bind", "127.0.0.1" })
                {
                    context.Args.Add(arg);
                }
            });
        await using var app = builder.Build();

        await app.StartAsync();
        await app.WaitHealthyAsync("files");

        Assert.Equal(200, await AppExtensions.GetStatusAsync(app.Url("files") + "/"));
    }

    [Fact]
    public void With_an_engine_a_container_runs_with_docker_run_ports_mounts_and_env()
    {
        var builder = TestApps.CreateBuilder();
        var container = builder.AddContainer("prometheus", "prom/prometheus", "v2.42.0")
            .WithHttpEndpoint(targetPort: 9090)
            .WithBindMount("prometheus", "/etc/prometheus", isReadOnly: true)
            .WithEnvironment("TZ", "UTC")
            .WithArgs("--config.file=/etc/prometheus/prometheus.yml")
            .Resource;
        var endpoint = container.GetEndpoint("http")!;
        endpoint.SetAllocatedEndpoints([new AllocatedEndpoint(endpoint, "127.0.0.1", 41000, 9090)]);
        var planner = new LaunchPlanner(new Dictionary<string, ProjectBuilder.Output>(), new ContainerRuntime.Status(true, "/usr/bin/docker", "docker 27"),
            "dotnet", new HostingEnvironment { EnvironmentName = Environments.Development }, new OrchestratorOptions { Directory = TestApps.RepoRoot }, otlp: null, resourceServiceUrl: null, "abc123");

        var plan = planner.Plan(container, 0);

        Assert.Equal("/usr/bin/docker", plan.FileName);
        Assert.Equal(
            ["run", "--rm", "--name", "prometheus-0-abc123", "-p", "127.0.0.1:41000:9090", "-v", $"{TestApps.RepoRoot}/prometheus:/etc/prometheus:ro",
             "-e", "TZ", "prom/prometheus:v2.42.0", "--config.file=/etc/prometheus/prometheus.yml"],
            plan.Args);
        Assert.Equal("UTC", plan.Environment["TZ"]);
        Assert.Equal("prometheus-0-abc123", plan.ContainerName);
    }
}
