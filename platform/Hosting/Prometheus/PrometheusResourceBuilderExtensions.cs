using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Prometheus;
using Microsoft.Extensions.DependencyInjection;

namespace Aspire.Hosting;

/// <summary>Prometheus: a server whose scrape configuration is generated from the app model, and the resources it scrapes.</summary>
public static class PrometheusResourceBuilderExtensions
{
    /// <summary>The image run where a container engine answers.</summary>
    public const string Image = "prom/prometheus";

    /// <summary>The image tag: pinned, so a new release cannot change the configuration format under the AppHost.</summary>
    public const string Tag = "v2.53.0";

    /// <summary>The port Prometheus listens on inside its container.</summary>
    public const int ContainerPort = 9090;

    // Where the container reaches the host's loopback services (Docker Desktop; elsewhere `--add-host host.docker.internal:host-gateway`).
    private const string ContainerHostAlias = "host.docker.internal";
    private const string ContainerConfigDirectory = "/etc/prometheus/aspire";

    /// <summary>The configuration <c>publish</c> writes to <c>{output}/{name}/</c>: every replica scrapes the same targets.</summary>
    public const string PublishedConfigFileName = "prometheus.yml";

    /// <summary>
    /// Adds Prometheus: container <c>prom/prometheus</c> where a container engine answers, otherwise Debian's
    /// <c>prometheus</c> executable (RuntimeUnavailable, saying <c>apt-get install prometheus</c>, when neither exists).
    /// At each start its prometheus.yml is generated from the model: one target per replica of every resource marked
    /// with <see cref="WithPrometheusScrape{T}"/>; <c>publish</c> writes it into the output directory with compose
    /// addresses. Healthy once <c>/-/ready</c> answers, so <c>WaitFor</c> works.
    /// </summary>
    public static IResourceBuilder<ContainerResource> AddPrometheus(this IDistributedApplicationBuilder builder, string name)
    {
        var server = new PrometheusServerAnnotation(Path.Combine(Path.GetTempPath(), $"aspireprober-{name}-{Guid.NewGuid().ToString("N")[..12]}"));
        builder.Services.AddHostedService(_ => new WorkingDirectoryCleanup(server.WorkingDirectory));
        var configMount = new ContainerMountAnnotation(server.WorkingDirectory, ContainerConfigDirectory, IsReadOnly: true);
        var containerArgs = new CommandLineArgsCallbackAnnotation(context =>
            AddContainerArgs(context, WriteConfig(builder, server, context.ReplicaIndex, target => $"{ContainerHostAlias}:{target.Allocated.Port}")));
        var prometheus = builder.AddContainer(name, Image, Tag)
            .WithAnnotation(server)
            .WithHttpEndpoint(targetPort: ContainerPort)
            .WithHttpHealthCheck("/-/ready")
            .WithAnnotation(configMount)
            .WithAnnotation(containerArgs)
            .WithExecutableFallback("prometheus", context =>
            {
                var config = WriteConfig(builder, server, context.ReplicaIndex, DirectAddress);
                var endpoint = context.GetEndpoint("http");
                context.Args.Add($"--config.file={Path.Combine(server.WorkingDirectory, config)}");
                context.Args.Add($"--storage.tsdb.path={server.DataDirectory(context.ReplicaIndex)}");
                context.Args.Add(string.Create(CultureInfo.InvariantCulture, $"--web.listen-address={endpoint.Host}:{endpoint.Port}"));
            }, installHint: "apt-get install prometheus");
        return prometheus.WithAnnotation(new PublishingCallbackAnnotation(context => PublishConfigAsync(context, prometheus.Resource, server, configMount, containerArgs)));
    }

    /// <summary>How often Prometheus scrapes every target; at least 1 s (default 2 s).</summary>
    public static IResourceBuilder<ContainerResource> WithScrapeInterval(this IResourceBuilder<ContainerResource> builder, TimeSpan interval)
    {
        var server = builder.Resource.Annotations.OfType<PrometheusServerAnnotation>().SingleOrDefault()
            ?? throw new DistributedApplicationException($"Resource '{builder.Resource.Name}' is not a Prometheus server; add it with AddPrometheus.");
        if (interval < TimeSpan.FromSeconds(1))
        {
            throw new DistributedApplicationException($"Scrape interval {interval} of '{builder.Resource.Name}' is too short: use at least 1 s.");
        }
        server.ScrapeInterval = interval;
        return builder;
    }

    /// <summary>
    /// Has Prometheus scrape <paramref name="path"/> (default <c>/metrics</c>) on endpoint <paramref name="endpointName"/>
    /// (default <c>http</c>) of every replica of this resource. Calling it again replaces the endpoint and path.
    /// </summary>
    public static IResourceBuilder<T> WithPrometheusScrape<T>(this IResourceBuilder<T> builder, string endpointName = "http", string path = "/metrics") where T : IResourceWithEndpoints
    {
        if (!path.StartsWith('/'))
        {
            throw new DistributedApplicationException($"Metrics path '{path}' of '{builder.Resource.Name}' must start with '/'.");
        }
        foreach (var existing in builder.Resource.Annotations.OfType<PrometheusScrapeAnnotation>().ToArray())
        {
            builder.Resource.Annotations.Remove(existing);
        }
        return builder.WithAnnotation(new PrometheusScrapeAnnotation(endpointName, path));
    }

    /// <summary>
    /// Publishing: one prometheus.yml for every replica, scraping each target at its compose address (service name and
    /// container port, e.g. <c>prober-0:8081</c>), written to <c>{output}/{name}/</c> and mounted from there in place
    /// of the per-run directory, which publish never creates.
    /// </summary>
    private static async Task PublishConfigAsync(PublishingContext context, IResource prometheus, PrometheusServerAnnotation server, ContainerMountAnnotation configMount, CommandLineArgsCallbackAnnotation containerArgs)
    {
        var directory = context.ResourceDirectory(prometheus);
        var yaml = PrometheusConfigWriter.Render(PrometheusScrapeTarget.FromModel(context.Model.Resources), server.ScrapeInterval, DirectAddress);
        await File.WriteAllTextAsync(Path.Combine(directory, PublishedConfigFileName), yaml, context.CancellationToken).ConfigureAwait(false);
        prometheus.Annotations.Replace(configMount, configMount with { Source = directory });
        prometheus.Annotations.Replace(containerArgs, new CommandLineArgsCallbackAnnotation(args => AddContainerArgs(args, PublishedConfigFileName)));
    }

    /// <summary>The container's arguments, reading <paramref name="configFileName"/> from the mounted configuration directory.</summary>
    private static void AddContainerArgs(CommandLineArgsCallbackContext context, string configFileName)
    {
        context.Args.Add($"--config.file={ContainerConfigDirectory}/{configFileName}");
        context.Args.Add("--storage.tsdb.path=/prometheus");
        context.Args.Add(string.Create(CultureInfo.InvariantCulture, $"--web.listen-address=:{ContainerPort}"));
    }

    /// <summary>A target as a process on the same network reaches it: run on this machine, <c>127.0.0.1:41234</c>; published, <c>prober-0:8081</c>.</summary>
    private static string DirectAddress(PrometheusScrapeTarget target) => $"{target.Allocated.Host}:{target.Allocated.Port}";

    /// <summary>Writes replica <paramref name="replicaIndex"/>'s configuration for the model as it is now (ports allocated); returns its file name.</summary>
    private static string WriteConfig(IDistributedApplicationBuilder builder, PrometheusServerAnnotation server, int replicaIndex, Func<PrometheusScrapeTarget, string> address)
    {
        Directory.CreateDirectory(server.WorkingDirectory);
        var fileName = PrometheusServerAnnotation.ConfigFileName(replicaIndex);
        var yaml = PrometheusConfigWriter.Render(PrometheusScrapeTarget.FromModel(builder.Resources), server.ScrapeInterval, address);
        File.WriteAllText(Path.Combine(server.WorkingDirectory, fileName), yaml);
        return fileName;
    }
}
