using System.Globalization;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Orchestration;
using Aspire.Hosting.Prometheus;
using AspireProber.Hosting.Tests.Infrastructure;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using YamlDotNet.RepresentationModel;

namespace AspireProber.Hosting.Tests;

/// <summary>AddPrometheus: the configuration generated from the model, checked by promtool, and Debian's prometheus scraping real replicas.</summary>
public sealed class PrometheusTests
{
    private static readonly HttpClient s_http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task The_generated_config_has_a_job_per_marked_resource_and_a_labelled_target_per_replica_and_promtool_accepts_it()
    {
        var builder = TestApps.CreateBuilder();
        var web = builder.AddEcho("web").WithReplicas(2).WithPrometheusScrape(path: "/custom-metrics");
        builder.AddEcho("unscraped");
        var prometheus = builder.AddPrometheus("prometheus").WithScrapeInterval(TimeSpan.FromSeconds(3));
        Allocate(web.Resource, "http", 41001, 41002);

        var yaml = PrometheusConfigWriter.Render(PrometheusScrapeTarget.FromModel(builder.Resources), TimeSpan.FromSeconds(3), t => $"{t.Allocated.Host}:{t.Allocated.Port}");

        var root = (YamlMappingNode)Load(yaml);
        Assert.Equal("3s", Scalar(root, "global", "scrape_interval"));
        Assert.Equal("3s", Scalar(root, "global", "scrape_timeout"));
        var job = (YamlMappingNode)Assert.Single((YamlSequenceNode)root["scrape_configs"]);
        Assert.Equal("web", Scalar(job, "job_name"));
        Assert.Equal("/custom-metrics", Scalar(job, "metrics_path"));
        Assert.Equal(
            [("127.0.0.1:41001", "web", "web-0"), ("127.0.0.1:41002", "web", "web-1")],
            ((YamlSequenceNode)job["static_configs"]).Cast<YamlMappingNode>().Select(group => (
                ((YamlScalarNode)Assert.Single((YamlSequenceNode)group["targets"])).Value,
                Scalar(group, "labels", "resource"),
                Scalar(group, "labels", "instance"))));
        Assert.Equal(TimeSpan.FromSeconds(3), prometheus.Resource.Annotations.OfType<PrometheusServerAnnotation>().Single().ScrapeInterval);

        var file = Path.Combine(Path.GetTempPath(), $"promtool-{Guid.NewGuid():N}.yml");
        await File.WriteAllTextAsync(file, yaml);
        try
        {
            await Promtool.AssertConfigValidAsync(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void With_a_container_engine_it_runs_prom_prometheus_on_the_generated_config_reaching_targets_through_the_host_alias()
    {
        var builder = TestApps.CreateBuilder();
        var web = builder.AddEcho("web").WithPrometheusScrape();
        var prometheus = builder.AddPrometheus("prometheus").Resource;
        Allocate(web.Resource, "http", 41001);
        Allocate(prometheus, "http", 41010);
        var server = prometheus.Annotations.OfType<PrometheusServerAnnotation>().Single();
        var planner = new LaunchPlanner(new Dictionary<string, ProjectBuilder.Output>(), new ContainerRuntime.Status(true, "/usr/bin/docker", "docker 27"),
            "dotnet", new HostingEnvironment { EnvironmentName = Environments.Development }, new OrchestratorOptions { Directory = TestApps.RepoRoot }, otlp: null, resourceServiceUrl: null, "abc123");
        try
        {
            var plan = planner.Plan(prometheus, 0);

            Assert.Null(plan.Failure);
            Assert.Equal(
                ["-p", "127.0.0.1:41010:9090", "-v", $"{server.WorkingDirectory}:/etc/prometheus/aspire:ro", "prom/prometheus:v2.53.0",
                 "--config.file=/etc/prometheus/aspire/prometheus-0.yml", "--storage.tsdb.path=/prometheus", "--web.listen-address=:9090"],
                plan.Args.Skip(4));
            Assert.Contains("targets: [\"host.docker.internal:41001\"]", File.ReadAllText(Path.Combine(server.WorkingDirectory, "prometheus-0.yml")));
        }
        finally
        {
            Directory.Delete(server.WorkingDirectory, recursive: true);
        }
    }

    [Fact]
    public void Its_executable_fallback_is_Debian_prometheus_and_says_how_to_install_it()
    {
        var prometheus = TestApps.CreateBuilder().AddPrometheus("prometheus").Resource;

        var fallback = prometheus.Annotations.OfType<ExecutableFallbackAnnotation>().Single();

        Assert.Equal("prometheus", fallback.Command);
        Assert.Equal("apt-get install prometheus", fallback.InstallHint);
        Assert.Equal("/-/ready", Assert.Single(prometheus.Annotations.OfType<HealthCheckAnnotation>()).Path);
    }

    [Fact]
    public void Bad_monitoring_settings_are_rejected_with_what_to_change()
    {
        var builder = TestApps.CreateBuilder();

        Assert.Contains("at least 1 s", Assert.Throws<DistributedApplicationException>(() => builder.AddPrometheus("prometheus").WithScrapeInterval(TimeSpan.FromMilliseconds(500))).Message);
        Assert.Contains("must start with '/'", Assert.Throws<DistributedApplicationException>(() => builder.AddEcho("web").WithPrometheusScrape(path: "metrics")).Message);
        Assert.Contains("not a Prometheus server", Assert.Throws<DistributedApplicationException>(() => builder.AddContainer("other", "nginx").WithScrapeInterval(TimeSpan.FromSeconds(2))).Message);
        Assert.Contains("not a Prometheus server", Assert.Throws<DistributedApplicationException>(() => builder.AddGrafana("grafana", "grafana").WithDataSource(builder.AddContainer("nginx", "nginx"))).Message);
        builder.AddEcho("metrics-on-grpc").WithPrometheusScrape(endpointName: "grpc");
        Assert.Contains("endpoint 'grpc' (WithPrometheusScrape), which it does not have", Assert.Throws<DistributedApplicationException>(() => PrometheusScrapeTarget.FromModel(builder.Resources)).Message);
    }

    [Fact]
    public async Task Debian_prometheus_scrapes_every_replica_with_resource_and_instance_labels_and_its_directory_goes_with_the_app()
    {
        // Two replicas of a static file server whose /metrics is a file: a scrape target without any .NET in it.
        var files = Directory.CreateTempSubdirectory("prometheus-targets-");
        await File.WriteAllTextAsync(Path.Combine(files.FullName, "metrics"), "# TYPE demo_value gauge\ndemo_value 42\n");
        var builder = TestApps.CreateBuilder();
        builder.AddExecutable("files", "python3", files.FullName)
            .WithReplicas(2)
            .WithHttpEndpoint()
            .WithArgs(context =>
            {
                foreach (var arg in new[] { "-m", "http.server", context.GetEndpoint("http").Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1" })
                {
                    context.Args.Add(arg);
                }
            })
            .WithPrometheusScrape();
        var prometheus = builder.AddPrometheus("prometheus").WithScrapeInterval(TimeSpan.FromSeconds(1));
        var workingDirectory = prometheus.Resource.Annotations.OfType<PrometheusServerAnnotation>().Single().WorkingDirectory;
        try
        {
            await using (var app = builder.Build())
            {
                await app.StartAsync();
                await app.WaitHealthyAsync("prometheus");

                var targets = await WaitForTargetsUpAsync(app.Url("prometheus"), 2);
                Assert.Equal([("files", "files", "files-0"), ("files", "files", "files-1")], targets.Order());
                using var query = JsonDocument.Parse(await s_http.GetStringAsync(app.Url("prometheus") + "/api/v1/query?query=demo_value"));
                Assert.Equal(
                    ["files-0", "files-1"],
                    query.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().Select(r => r.GetProperty("metric").GetProperty("instance").GetString()).Order());
                Assert.True(File.Exists(Path.Combine(workingDirectory, "prometheus-0.yml")));
            }

            Assert.False(Directory.Exists(workingDirectory), $"{workingDirectory} outlived the application.");
        }
        finally
        {
            files.Delete(recursive: true);
        }
    }

    /// <summary>(job, resource, instance) of every active target, once <paramref name="count"/> of them are up.</summary>
    private static async Task<(string, string, string)[]> WaitForTargetsUpAsync(string prometheusUrl, int count)
    {
        var deadline = DateTime.UtcNow + AppExtensions.Timeout;
        while (true)
        {
            using var response = JsonDocument.Parse(await s_http.GetStringAsync(prometheusUrl + "/api/v1/targets"));
            var targets = response.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray().ToArray();
            if (targets.Length == count && targets.All(t => t.GetProperty("health").GetString() == "up"))
            {
                return [.. targets.Select(t => t.GetProperty("labels")).Select(l => (l.GetProperty("job").GetString()!, l.GetProperty("resource").GetString()!, l.GetProperty("instance").GetString()!))];
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Within {AppExtensions.Timeout.TotalSeconds} s Prometheus did not have {count} targets up: {string.Join(", ", targets.Select(t => $"{t.GetProperty("scrapeUrl")} {t.GetProperty("health")} {t.GetProperty("lastError")}"))}");
            }
            await Task.Delay(250);
        }
    }

    private static void Allocate(IResource resource, string endpointName, params int[] ports)
    {
        var endpoint = resource.GetEndpoint(endpointName)!;
        endpoint.SetAllocatedEndpoints(ports.Select(port => new AllocatedEndpoint(endpoint, "127.0.0.1", port, endpoint.TargetPort ?? port)));
    }

    private static YamlNode Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Single().RootNode;
    }

    private static string? Scalar(YamlMappingNode node, params string[] path) =>
        ((YamlScalarNode)path.Aggregate((YamlNode)node, (current, key) => ((YamlMappingNode)current)[key])).Value;
}
