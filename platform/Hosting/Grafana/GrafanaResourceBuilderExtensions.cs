using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>Grafana: container <c>grafana/grafana</c> provisioned from a directory of the repository.</summary>
public static class GrafanaResourceBuilderExtensions
{
    /// <summary>The image run where a container engine answers (there is no Debian package, so no executable fallback).</summary>
    public const string Image = "grafana/grafana";

    /// <summary>The image tag: pinned, so the provisioned dashboards' schema matches the Grafana that loads them.</summary>
    public const string Tag = "11.1.0";

    /// <summary>The port Grafana listens on inside its container.</summary>
    public const int ContainerPort = 3000;

    /// <summary>The variable the datasource provisioning file reads Prometheus' URL from (<c>url: ${PROMETHEUS_URL}</c>).</summary>
    public const string PrometheusUrlVariable = "PROMETHEUS_URL";

    /// <summary>Where the dashboards directory is mounted; the dashboard provider's <c>options.path</c>.</summary>
    public const string DashboardsPath = "/var/lib/grafana/dashboards";

    // Where the container reaches ports published on the host (Docker Desktop; elsewhere `--add-host host.docker.internal:host-gateway`).
    private const string ContainerHostAlias = "host.docker.internal";

    /// <summary>
    /// Adds Grafana provisioned from <paramref name="directory"/> (relative to the AppHost directory): its
    /// <c>provisioning/</c> (datasources, dashboard providers) and <c>dashboards/</c> (dashboard JSON), which
    /// <c>publish</c> copies into the output directory. Anonymous users may view, for local use. Healthy once
    /// <c>/api/health</c> answers. Without a container engine it is RuntimeUnavailable, and nothing waits on it.
    /// </summary>
    public static IResourceBuilder<ContainerResource> AddGrafana(this IDistributedApplicationBuilder builder, string name, string directory)
    {
        var root = Path.GetFullPath(directory, builder.AppHostDirectory);
        var provisioning = new ContainerMountAnnotation(Path.Combine(root, "provisioning"), "/etc/grafana/provisioning", IsReadOnly: true);
        var dashboards = new ContainerMountAnnotation(Path.Combine(root, "dashboards"), DashboardsPath, IsReadOnly: true);
        var grafana = builder.AddContainer(name, Image, Tag)
            .WithHttpEndpoint(targetPort: ContainerPort)
            .WithHttpHealthCheck("/api/health")
            .WithAnnotation(provisioning)
            .WithAnnotation(dashboards)
            .WithEnvironment("GF_AUTH_ANONYMOUS_ENABLED", "true")
            .WithEnvironment("GF_AUTH_ANONYMOUS_ORG_ROLE", "Viewer")
            .WithEnvironment("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH", $"{DashboardsPath}/backpressure.json")
            // A local demo, often offline: no usage reports or update checks at start.
            .WithEnvironment("GF_ANALYTICS_REPORTING_ENABLED", "false")
            .WithEnvironment("GF_ANALYTICS_CHECK_FOR_UPDATES", "false");
        return grafana.WithAnnotation(new PublishingCallbackAnnotation(context =>
        {
            context.CopyMountIntoOutput(grafana.Resource, provisioning);
            context.CopyMountIntoOutput(grafana.Resource, dashboards);
            return Task.CompletedTask;
        }));
    }

    /// <summary>
    /// Points the provisioned Prometheus datasource at <paramref name="prometheus"/>'s <c>http</c> endpoint, as the
    /// container reaches it: through the host alias when run, by its service name (<c>http://prometheus:9090</c>) when published.
    /// </summary>
    public static IResourceBuilder<ContainerResource> WithDataSource(this IResourceBuilder<ContainerResource> builder, IResourceBuilder<ContainerResource> prometheus)
    {
        if (!prometheus.Resource.Annotations.OfType<PrometheusServerAnnotation>().Any())
        {
            throw new DistributedApplicationException($"Resource '{prometheus.Resource.Name}' is not a Prometheus server; add it with AddPrometheus.");
        }
        var hostUrl = new EnvironmentCallbackAnnotation(PrometheusUrlVariable, () => $"http://{ContainerHostAlias}:{prometheus.Resource.GetAllocatedEndpoint("http").Port}");
        return builder
            .WithAnnotation(new ResourceRelationshipAnnotation(prometheus.Resource, "Reference"))
            .WithAnnotation(hostUrl)
            .WithAnnotation(new PublishingCallbackAnnotation(_ =>
            {
                // On the compose network the allocated endpoint is Prometheus' own service address.
                builder.Resource.Annotations.Replace(hostUrl, new EnvironmentCallbackAnnotation(PrometheusUrlVariable, () => prometheus.Resource.GetAllocatedEndpoint("http").Url));
                return Task.CompletedTask;
            }));
    }
}
