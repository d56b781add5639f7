using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using AspireProber.Hosting.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace AspireProber.Hosting.Tests;

/// <summary><c>publish --output &lt;dir&gt;</c>: a docker-compose.yaml of the model, and nothing started.</summary>
public sealed class PublishTests : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("publish-test-").FullName;

    [Fact]
    public async Task Compose_has_a_service_per_replica_with_the_env_contract_on_service_names_depends_on_ports_and_mounts()
    {
        var builder = CreateBuilder("publish", "--output", _output);
        var web = builder.AddEcho("web").WithReplicas(2).WithEndpoint(name: "grpc", transport: EndpointTransports.Http2).WithGrpcHealthCheck();
        builder.AddEcho("client").WithReference(web).WaitFor(web).WithArgs("--log-lines=2");
        var config = Path.Combine(_output, "scrape.yml");
        builder.AddContainer("prom", "prom/prometheus", "v2.42.0")
            .WithHttpEndpoint(targetPort: 9090)
            .WithReference(web)
            .WithAnnotation(new PublishingCallbackAnnotation(async context =>
            {
                // What a generated configuration sees: compose addresses.
                await File.WriteAllTextAsync(Path.Combine(context.OutputPath, "scrape.yml"), web.Resource.GetAllocatedEndpoint("http", 1).Url);
            }))
            .WithBindMount(config, "/etc/prometheus/prometheus.yml", isReadOnly: true);
        builder.AddExecutable("tool", "sleep", ".", "1");
        await using var app = builder.Build();

        await app.RunAsync();

        var services = LoadServices();
        Assert.Equal(new[] { "aspire-dashboard", "client", "prom", "web-0", "web-1" }, services.Keys.Order());
        Assert.Empty(app.ResourceNotifications.GetCurrentStates());

        var client = services["client"];
        Assert.EndsWith("-client:latest", Scalar(client, "image"));
        var env = Mapping(client, "environment");
        Assert.Equal("http://web-0:8081", env["services__web__grpc__0"]);
        Assert.Equal("http://web-1:8081", env["services__web__grpc__1"]);
        Assert.Equal("http://web-1:8080", env["services__web__http__1"]);
        Assert.Equal("http://0.0.0.0:8080", env["Kestrel__Endpoints__http__Url"]);
        Assert.Equal("http://aspire-dashboard:18889", env["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("grpc", env["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        // The same instance id as when run (the replica name), whatever the compose service is called.
        Assert.Equal("service.instance.id=client-0", env["OTEL_RESOURCE_ATTRIBUTES"]);
        Assert.Equal(new[] { "--log-lines=2" }, Sequence(client, "command"));
        Assert.Equal(new[] { "127.0.0.1::8080" }, Sequence(client, "ports"));
        var dependsOn = (YamlMappingNode)client.Children["depends_on"];
        Assert.Equal(new[] { "web-0", "web-1" }, dependsOn.Children.Keys.Select(k => k.ToString()));
        Assert.All(dependsOn.Children.Values, d => Assert.Equal("service_healthy", Scalar((YamlMappingNode)d, "condition")));

        var web1 = services["web-1"];
        Assert.Equal("service.instance.id=web-1", Mapping(web1, "environment")["OTEL_RESOURCE_ATTRIBUTES"]);
        Assert.Equal("Http2", Mapping(web1, "environment")["Kestrel__Endpoints__grpc__Protocols"]);
        // gRPC health checked over the service's HTTP /health: .NET images have bash, not grpc_health_probe.
        Assert.Contains("/dev/tcp/127.0.0.1/8080", Sequence((YamlMappingNode)web1.Children["healthcheck"], "test").Last());

        var prom = services["prom"];
        Assert.Equal("prom/prometheus:v2.42.0", Scalar(prom, "image"));
        Assert.Equal(new[] { "./scrape.yml:/etc/prometheus/prometheus.yml:ro" }, Sequence(prom, "volumes"));
        Assert.Equal("http://web-0:8080", Mapping(prom, "environment")["services__web__http__0"]);
        Assert.Equal("http://web-1:8080", await File.ReadAllTextAsync(config));

        var dashboard = services["aspire-dashboard"];
        Assert.Equal(new[] { "127.0.0.1:18888:18888" }, Sequence(dashboard, "ports"));
        Assert.Equal("http://0.0.0.0:18889", Mapping(dashboard, "environment")["DOTNET_DASHBOARD_OTLP_ENDPOINT_URL"]);
        Assert.DoesNotContain("DOTNET_RESOURCE_SERVICE_ENDPOINT_URL", Mapping(dashboard, "environment").Keys);
    }

    [Fact]
    public async Task Prometheus_and_Grafana_files_are_published_into_the_output_mounted_relative_and_addressed_by_service_names()
    {
        var builder = CreateBuilder("publish", "--output", _output);
        builder.AddEcho("web").WithReplicas(2).WithPrometheusScrape();
        var prometheus = builder.AddPrometheus("prometheus").WithScrapeInterval(TimeSpan.FromSeconds(5));
        builder.AddGrafana("grafana", "grafana").WithDataSource(prometheus);
        // Left by an earlier publish to the same directory: the copy is the source as it is now, not merged into it.
        var stale = Path.Combine(_output, "grafana", "dashboards", "removed.json");
        Directory.CreateDirectory(Path.GetDirectoryName(stale)!);
        await File.WriteAllTextAsync(stale, "{}");
        await using var app = builder.Build();

        await app.RunAsync();

        var services = LoadServices();
        var prom = services["prometheus"];
        Assert.Equal(new[] { "./prometheus:/etc/prometheus/aspire:ro" }, Sequence(prom, "volumes"));
        Assert.Contains("--config.file=/etc/prometheus/aspire/prometheus.yml", Sequence(prom, "command"));
        var config = Path.Combine(_output, "prometheus", "prometheus.yml");
        var root = LoadYaml(config);
        Assert.Equal("5s", Scalar((YamlMappingNode)root.Children["global"], "scrape_interval"));
        var job = (YamlMappingNode)Assert.Single(((YamlSequenceNode)root.Children["scrape_configs"]).Children);
        Assert.Equal(
            [("web-0:8080", "web", "web-0"), ("web-1:8080", "web", "web-1")],
            ((YamlSequenceNode)job.Children["static_configs"]).Children.Cast<YamlMappingNode>().Select(group => (
                Assert.Single(Sequence(group, "targets")),
                Mapping(group, "labels")["resource"],
                Mapping(group, "labels")["instance"])));
        await Promtool.AssertConfigValidAsync(config);
        // Publish writes no run-time configuration: the per-run directory, mounted when run, is never created.
        Assert.False(Directory.Exists(prometheus.Resource.Annotations.OfType<PrometheusServerAnnotation>().Single().WorkingDirectory));

        var grafana = services["grafana"];
        Assert.Equal(
            new[] { "./grafana/provisioning:/etc/grafana/provisioning:ro", "./grafana/dashboards:/var/lib/grafana/dashboards:ro" },
            Sequence(grafana, "volumes"));
        var source = Path.Combine(TestApps.RepoRoot, "grafana");
        var copy = Path.Combine(_output, "grafana");
        Assert.Equal(RelativeFiles(source), RelativeFiles(copy));
        Assert.All(RelativeFiles(source), file => Assert.Equal(File.ReadAllBytes(Path.Combine(source, file)), File.ReadAllBytes(Path.Combine(copy, file))));
        Assert.False(File.Exists(stale));
        Assert.Equal("http://prometheus:9090", Mapping(grafana, "environment")[GrafanaResourceBuilderExtensions.PrometheusUrlVariable]);
    }

    [Fact]
    public async Task Without_the_dashboard_there_is_no_dashboard_service_and_no_OTLP_variables()
    {
        var builder = CreateBuilder("publish", "--publisher", "compose", "--output", _output, "--AppHost:DashboardEnabled=false");
        builder.AddEcho("web");
        await using var app = builder.Build();

        await app.RunAsync();

        var services = LoadServices();
        Assert.Equal("web", Assert.Single(services.Keys));
        Assert.DoesNotContain("OTEL_EXPORTER_OTLP_ENDPOINT", Mapping(services["web"], "environment").Keys);
    }

    [Theory]
    [InlineData(new[] { "publish", "--publisher", "kubernetes", "--output", "x" }, "Unknown publisher 'kubernetes'")]
    [InlineData(new[] { "publish" }, "publish --output <dir>")]
    public void Bad_publish_arguments_fail_the_build_saying_what_to_fix(string[] args, string message)
    {
        var builder = CreateBuilder(args);

        var error = Assert.Throws<DistributedApplicationException>(() => builder.Build());

        Assert.Contains(message, error.Message);
    }

    public void Dispose() => Directory.Delete(_output, recursive: true);

    /// <summary>The verb first, as on the AppHost's command line, then the test settings.</summary>
    private static IDistributedApplicationBuilder CreateBuilder(params string[] args) =>
        DistributedApplication.CreateBuilder(new DistributedApplicationOptions { Args = [.. args, .. TestApps.CommonArgs], AppHostDirectory = TestApps.RepoRoot });

    private Dictionary<string, YamlMappingNode> LoadServices()
    {
        var services = (YamlMappingNode)LoadYaml(Path.Combine(_output, "docker-compose.yaml")).Children["services"];
        return services.Children.ToDictionary(s => s.Key.ToString(), s => (YamlMappingNode)s.Value);
    }

    private static YamlMappingNode LoadYaml(string file)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(file))
        {
            yaml.Load(reader);
        }
        return (YamlMappingNode)yaml.Documents.Single().RootNode;
    }

    /// <summary>Every file under <paramref name="directory"/>, relative to it, in order.</summary>
    private static string[] RelativeFiles(string directory) =>
        [.. Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(directory, f)).Order(StringComparer.Ordinal)];

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node.Children[key]).Value!;

    private static string[] Sequence(YamlMappingNode node, string key) => [.. ((YamlSequenceNode)node.Children[key]).Children.Select(c => ((YamlScalarNode)c).Value!)];

    private static Dictionary<string, string> Mapping(YamlMappingNode node, string key) =>
        ((YamlMappingNode)node.Children[key]).Children.ToDictionary(c => c.Key.ToString(), c => ((YamlScalarNode)c.Value).Value!);
}
