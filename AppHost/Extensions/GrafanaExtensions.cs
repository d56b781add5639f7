using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>
/// Grafana with the repository's grafana/ provisioning (the Prometheus datasource and the Backpressure, Probers and
/// gRPC dashboards). It is a container: Aspire's start waits until every container is created, which without a
/// container engine never happens, so the local run adds it only where an engine answers (<see cref="CanRunGrafana"/>).
/// </summary>
public static class GrafanaExtensions
{
    /// <summary>The variable grafana/provisioning/datasources expands to Prometheus' URL.</summary>
    public const string PrometheusUrlVariable = "PROMETHEUS_URL";

    /// <summary>Where the dashboards folder is mounted (grafana/provisioning/dashboards loads it from there).</summary>
    public const string DashboardsPath = "/var/lib/grafana/dashboards";

    /// <summary>
    /// Whether Grafana joins this run: always when publishing (the compose output has it), and in the local run when
    /// a container engine answers (<see cref="ContainerEngine.Answers(Microsoft.Extensions.Configuration.IConfiguration)"/>).
    /// </summary>
    public static bool CanRunGrafana(this IDistributedApplicationBuilder builder) =>
        builder.ExecutionContext.IsPublishMode || ContainerEngine.Answers(builder.Configuration);

    /// <summary>
    /// Says once, when the run's resources are created, that Grafana is left out for want of a container engine, and
    /// where the same sent-vs-received view is without it: <paramref name="backpressureView"/>'s /backpressure page.
    /// </summary>
    public static IDistributedApplicationBuilder LogGrafanaLeftOut(this IDistributedApplicationBuilder builder, EndpointReference backpressureView)
    {
        builder.Eventing.Subscribe<AfterResourcesCreatedEvent>((created, _) =>
        {
            created.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GrafanaExtensions).FullName!).LogWarning(
                "Grafana is not started: it is a container and no container engine answers ('{Cli} info' failed). Start Docker or "
                + "Podman and run the AppHost again to get it. Sent vs received per consumer, without Grafana: {BackpressureView}",
                ContainerEngine.Cli(builder.Configuration), $"{backpressureView.Url}/backpressure");
            return Task.CompletedTask;
        });
        return builder;
    }

    /// <summary>Adds Grafana from <paramref name="grafanaDirectory"/> (relative to the AppHost project), anonymous viewers allowed.</summary>
    public static IResourceBuilder<ContainerResource> AddGrafana(this IDistributedApplicationBuilder builder, string name, string grafanaDirectory) =>
        builder.AddContainer(name, "grafana/grafana", "11.1.0")
            .WithBindMount(Path.Combine(grafanaDirectory, "provisioning"), "/etc/grafana/provisioning", isReadOnly: true)
            .WithBindMount(Path.Combine(grafanaDirectory, "dashboards"), DashboardsPath, isReadOnly: true)
            .WithHttpEndpoint(targetPort: 3000)
            .WithEnvironment("GF_AUTH_ANONYMOUS_ENABLED", "true")
            .WithEnvironment("GF_AUTH_ANONYMOUS_ORG_ROLE", "Viewer")
            .WithEnvironment("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH", $"{DashboardsPath}/backpressure.json")
            .WithEnvironment("GF_ANALYTICS_REPORTING_ENABLED", "false");

    /// <summary>
    /// Points Grafana's provisioned datasource at <paramref name="prometheus"/>: a container (published, or run when
    /// no executable is installed) by its endpoint, which Aspire resolves on the containers' network; the executable
    /// on the host, through the name containers reach the host by (<see cref="PrometheusRuntimes.ContainerHostName"/>).
    /// </summary>
    public static IResourceBuilder<ContainerResource> WithDataSource(this IResourceBuilder<ContainerResource> grafana, IResourceBuilder<IResourceWithEndpoints> prometheus)
    {
        var endpoint = prometheus.GetEndpoint("http");
        if (prometheus.Resource is ContainerResource)
        {
            return grafana.WithEnvironment(PrometheusUrlVariable, endpoint);
        }
        var host = PrometheusRuntimes.ContainerHostName(grafana.ApplicationBuilder.Configuration);
        return grafana.WithEnvironment(PrometheusUrlVariable, ReferenceExpression.Create($"http://{host}:{endpoint.Property(EndpointProperty.Port)}"));
    }
}
