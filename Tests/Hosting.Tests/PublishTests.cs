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
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(_output, "docker-compose.yaml")))
        {
            yaml.Load(reader);
        }
        var services = (YamlMappingNode)((YamlMappingNode)yaml.Documents.Single().RootNode).Children["services"];
        return services.Children.ToDictionary(s => s.Key.ToString(), s => (YamlMappingNode)s.Value);
    }

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node.Children[key]).Value!;

    private static string[] Sequence(YamlMappingNode node, string key) => [.. ((YamlSequenceNode)node.Children[key]).Children.Select(c => ((YamlScalarNode)c).Value!)];

    private static Dictionary<string, string> Mapping(YamlMappingNode node, string key) =>
        ((YamlMappingNode)node.Children[key]).Children.ToDictionary(c => c.Key.ToString(), c => ((YamlScalarNode)c.Value).Value!);
}
