using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>Marks a project whose replicas the Prometheus of <see cref="PrometheusExtensions.AddPrometheus"/> scrapes.</summary>
public sealed class PrometheusScrapeAnnotation(string endpointName, string metricsPath) : IResourceAnnotation
{
    /// <summary>The endpoint that serves the metrics (the services' HTTP/1.1 "http" endpoint).</summary>
    public string EndpointName { get; } = endpointName;

    /// <summary>The path of the Prometheus exposition on that endpoint.</summary>
    public string MetricsPath { get; } = metricsPath;

    /// <summary>
    /// One replica as a Prometheus target group — the same shape in a file_sd file (run mode) and under
    /// static_configs (the published prometheus.yml) — labelled <c>resource</c> and <c>instance</c>, which Grafana's
    /// queries group by.
    /// </summary>
    public Dictionary<string, object> TargetGroup(string hostAndPort, string resource, string instance) => new()
    {
        ["targets"] = new[] { hostAndPort },
        ["labels"] = new Dictionary<string, string>
        {
            ["resource"] = resource,
            ["instance"] = instance,
            ["__metrics_path__"] = MetricsPath,
        },
    };
}

/// <summary>Marks the container that reads the prometheus.yml the compose publisher generates, mounted at <see cref="Target"/>.</summary>
public sealed class PrometheusConfigAnnotation(string target) : IResourceAnnotation
{
    /// <summary>Where the container reads its configuration.</summary>
    public string Target { get; } = target;
}

/// <summary>
/// Prometheus for the AppHost, scraping every replica of each resource marked <see cref="WithPrometheusScrape"/>:
/// Debian's <c>prometheus</c> executable (no container engine needed), or the prom/prometheus image when it is not
/// installed and a container engine answers (<see cref="PrometheusRuntimes"/>). Replicas get their ports when they
/// start, and again after a restart, so the targets are a file_sd file that the AppHost rewrites whenever a replica's
/// snapshot changes; Prometheus watches that file and picks up each change without a reload.
/// </summary>
public static class PrometheusExtensions
{
    /// <summary>The scrape (and evaluation) interval, also Grafana's datasource timeInterval.</summary>
    public const string ScrapeInterval = "2s";

    /// <summary>The setting that names the prometheus executable (a name on PATH or a path); Debian's "prometheus" by default.</summary>
    public const string ExecutableSetting = "Prometheus:Executable";

    /// <summary>Where the prom/prometheus image reads its configuration.</summary>
    public const string ContainerConfigFolder = "/etc/prometheus";

    /// <summary>The start of the name of each run's temporary folder: <c>aspireprober-prometheus-{AppHost pid}-{random}</c>.</summary>
    public const string FolderPrefix = "aspireprober-prometheus-";

    /// <summary>
    /// Deletes the Prometheus folders under <paramref name="tempPath"/> whose AppHost process no longer runs (it was
    /// killed, so its stop callback never ran). A folder whose pid runs again as another process is kept: safe, and
    /// deleted on a later run.
    /// </summary>
    public static void DeleteFoldersOfEndedAppHosts(string tempPath)
    {
        foreach (var folder in Directory.EnumerateDirectories(tempPath, FolderPrefix + "*"))
        {
            var rest = Path.GetFileName(folder)[FolderPrefix.Length..];
            if (int.TryParse(rest.Split('-')[0], out var pid) && pid != Environment.ProcessId && !IsRunning(pid))
            {
                DeleteQuietly(folder);
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;   // no such process
        }
    }

    /// <summary>Lets the Prometheus of this model scrape every replica of <paramref name="builder"/>'s resource.</summary>
    public static IResourceBuilder<ProjectResource> WithPrometheusScrape(this IResourceBuilder<ProjectResource> builder, string endpointName = "http", string metricsPath = "/metrics") =>
        builder.WithAnnotation(new PrometheusScrapeAnnotation(endpointName, metricsPath));

    /// <summary>The prom/prometheus image: the published system's, and the local run's when no executable is installed.</summary>
    public const string Image = "prom/prometheus";

    /// <summary>The tag of <see cref="Image"/>: Prometheus 2.x like Debian's 2.42, whose configuration format this is.</summary>
    public const string ImageTag = "v2.53.0";

    /// <summary>
    /// Adds Prometheus with its configuration generated from the model: run, Debian's executable or the prom/prometheus
    /// image (<see cref="PrometheusRuntimes.Choose"/>); published (<c>--operation publish</c>), the image reading the
    /// prometheus.yml the compose publisher writes.
    /// </summary>
    public static IResourceBuilder<IResourceWithEndpoints> AddPrometheus(this IDistributedApplicationBuilder builder, string name)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            // The image's default command reads /etc/prometheus/prometheus.yml and listens on 9090.
            return builder.AddContainer(name, Image, ImageTag)
                .WithHttpEndpoint(name: "http", targetPort: 9090)
                .WithAnnotation(new PrometheusConfigAnnotation($"{ContainerConfigFolder}/prometheus.yml"));
        }

        var executable = PrometheusRuntimes.Executable(builder.Configuration);
        var runtime = PrometheusRuntimes.Choose(builder.Configuration, executable);
        // A container reaches the host's services by the host's name, not by the replica's localhost address.
        var host = runtime == PrometheusRuntime.Container ? PrometheusRuntimes.ContainerHostName(builder.Configuration) : null;

        // Per AppHost run: configuration, targets and the executable's TSDB live under a fresh temporary folder,
        // deleted on stop. An AppHost that was killed cannot delete its own, so each run also deletes those of
        // AppHosts that are gone.
        DeleteFoldersOfEndedAppHosts(Path.GetTempPath());
        var directory = Directory.CreateTempSubdirectory($"{FolderPrefix}{Environment.ProcessId}-").FullName;
        var targets = Path.Combine(directory, "targets.json");
        File.WriteAllText(targets, "[]");
        builder.Eventing.Subscribe<BeforeStartEvent>((start, cancellationToken) =>
        {
            var notifications = start.Services.GetRequiredService<ResourceNotificationService>();
            var stopping = start.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().ApplicationStopping;
            _ = WriteTargetsAsync(notifications, targets, host, stopping);
            stopping.Register(() => DeleteQuietly(directory));
            return Task.CompletedTask;
        });
        return runtime == PrometheusRuntime.Container
            ? AddPrometheusContainer(builder, name, directory)
            : AddPrometheusExecutable(builder, name, executable, directory, targets);
    }

    /// <summary>Debian's prometheus on the host, its files in <paramref name="directory"/>, listening on the endpoint's port.</summary>
    private static IResourceBuilder<IResourceWithEndpoints> AddPrometheusExecutable(IDistributedApplicationBuilder builder, string name, string executable, string directory, string targets)
    {
        var config = Path.Combine(directory, "prometheus.yml");
        File.WriteAllText(config, Configuration(targets));
        // Not behind DCP's proxy: with prometheus not running (not installed, stopped), the proxy accepts a client's
        // connection and holds it until the client times out, while a port nothing listens on refuses at once. A proxy-less
        // endpoint needs its port chosen here: a free loopback port.
        var port = FreeLoopbackPort();
        var prometheus = builder.AddExecutable(name, executable, directory)
            .WithHttpEndpoint(name: "http", port: port, isProxied: false)
            .WithHttpHealthCheck("/-/ready")
            .WithArgs(
                $"--config.file={config}",
                $"--storage.tsdb.path={Path.Combine(directory, "data")}",
                $"--web.listen-address=127.0.0.1:{port}");
        prometheus.OnBeforeResourceStarted((resource, started, _) =>
        {
            // DCP's own message for a missing executable is generic; this one says what to do.
            if (!PrometheusRuntimes.ExecutableExists(executable))
            {
                started.Services.GetRequiredService<ResourceLoggerService>().GetLogger(resource)
                    .LogError("No prometheus executable '{Executable}' (on PATH or as a path): install Debian's prometheus package (test.sh does) "
                        + "or set {Setting}; or run a container engine for the {Image} image ({RuntimeSetting}=auto or container). "
                        + "Everything else runs without it.", executable, ExecutableSetting, Image, PrometheusRuntimes.Setting);
            }
            return Task.CompletedTask;
        });
        return prometheus;
    }

    /// <summary>
    /// The prom/prometheus image with <paramref name="directory"/> mounted at /etc/prometheus, so the targets the AppHost
    /// rewrites there are the ones it reads; its TSDB stays in the container.
    /// </summary>
    private static IResourceBuilder<IResourceWithEndpoints> AddPrometheusContainer(IDistributedApplicationBuilder builder, string name, string directory)
    {
        File.WriteAllText(Path.Combine(directory, "prometheus.yml"), Configuration($"{ContainerConfigFolder}/targets.json"));
        // The image runs as nobody: the folder (created for the owner only) must be readable by others.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        return builder.AddContainer(name, Image, ImageTag)
            .WithBindMount(directory, ContainerConfigFolder, isReadOnly: true)
            .WithArgs($"--config.file={ContainerConfigFolder}/prometheus.yml", "--storage.tsdb.path=/prometheus")
            .WithHttpEndpoint(name: "http", targetPort: 9090)
            .WithHttpHealthCheck("/-/ready");
    }

    /// <summary>The run's prometheus.yml: one job whose targets are the file_sd file at <paramref name="targets"/>.</summary>
    private static string Configuration(string targets) => $"""
        # Generated by the AppHost (PrometheusExtensions) at start; the targets are rewritten as replicas start.
        global:
          scrape_interval: {ScrapeInterval}
          evaluation_interval: {ScrapeInterval}
        scrape_configs:
          - job_name: aspireprober
            file_sd_configs:
              - files: ['{targets}']
        """;

    /// <summary>
    /// Rewrites the file_sd targets (one per running replica, labelled resource and instance) on every change; with
    /// <paramref name="host"/>, each at that host and the replica's port.
    /// </summary>
    private static async Task WriteTargetsAsync(ResourceNotificationService notifications, string path, string? host, CancellationToken cancellationToken)
    {
        var scraped = new SortedDictionary<string, object>(StringComparer.Ordinal);
        try
        {
            await foreach (var update in notifications.WatchAsync(cancellationToken))
            {
                if (!update.Resource.TryGetLastAnnotation<PrometheusScrapeAnnotation>(out var scrape)
                    || ReplicaEndpoints.AddressOf(update.Snapshot, scrape.EndpointName) is not { } address)
                {
                    continue;
                }
                var url = new Uri(address);
                var target = scrape.TargetGroup(host is null ? url.Authority : $"{host}:{url.Port}", update.Resource.Name, update.ResourceId);
                if (scraped.TryGetValue(update.ResourceId, out var known) && JsonSerializer.Serialize(known) == JsonSerializer.Serialize(target))
                {
                    continue;
                }
                scraped[update.ResourceId] = target;
                // Written aside and moved, so Prometheus never reads half a file.
                await File.WriteAllTextAsync(path + ".tmp", JsonSerializer.Serialize(scraped.Values), cancellationToken);
                File.Move(path + ".tmp", path, overwrite: true);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void DeleteQuietly(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Prometheus may still be writing as it stops; the folder is under $TMPDIR.
        }
    }
}
