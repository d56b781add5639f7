using System.Diagnostics;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace AspireProber.AppHost.Tests;

/// <summary>
/// The AppHost's publish step: docker-compose.yaml with one service per replica wired by compose addresses, a
/// prometheus.yml the real promtool accepts, and nothing referred to that the folder does not hold. No container
/// engine runs here, so the files are checked, not started.
/// </summary>
public sealed partial class PublishTests(PublishedSystem published) : IClassFixture<PublishedSystem>
{
    [Fact]
    public void Every_replica_of_the_system_is_its_own_service_with_the_same_image_and_its_own_instance_id()
    {
        foreach (var (resource, replicas) in RunningApp.SystemReplicas)
        {
            var services = ServicesOf(resource);
            Assert.Equal(replicas == 1 ? [resource] : Enumerable.Range(0, replicas).Select(i => $"{resource}-{i}"), services);
            Assert.Single(services.Select(s => published.Services[s]["image"].ToString()).Distinct());
            Assert.Equal(services.Select(s => $"service.instance.id={s}"), services.Select(s => published.Environment(s)["OTEL_RESOURCE_ATTRIBUTES"]));
            Assert.All(services, s => Assert.Equal(resource, published.Environment(s)["OTEL_SERVICE_NAME"]));
        }
    }

    [Fact]
    public void Published_services_run_in_Production_where_reflection_is_off_and_the_runner_keeps_the_AppHosts_targets()
    {
        // The launch profiles (Development, reflection on) are for dotnet run; Aspire applies them in the local run only.
        foreach (var service in RunningApp.SystemReplicas.Keys.SelectMany(ServicesOf))
        {
            Assert.DoesNotContain("ASPNETCORE_ENVIRONMENT", published.Environment(service).Keys);
            Assert.DoesNotContain("DOTNET_ENVIRONMENT", published.Environment(service).Keys);
        }
        Assert.Equal(["/fast", "/slow?ms=50"], published.Environment("runner").Where(e => e.Key.StartsWith("Runner__Targets__", StringComparison.Ordinal)).Select(e => e.Value));
    }

    [Fact]
    public void The_runner_lists_every_prober_replica_at_its_compose_address_and_starts_after_all_of_them()
    {
        var probers = ServicesOf("prober");
        var runner = published.Environment("runner");

        Assert.Equal(3, probers.Count);
        Assert.Equal(
            probers.Select((prober, i) => ($"services__prober__grpc__{i}", $"http://{prober}:{PortOf(published.Environment(prober)["Kestrel__Endpoints__grpc__Url"])}")),
            runner.Where(e => e.Key.StartsWith("services__prober__grpc__", StringComparison.Ordinal)).Select(e => (e.Key, e.Value)));
        var dependencies = ((YamlMappingNode)published.Services["runner"]["depends_on"]).Children.Keys.Select(k => k.ToString());
        Assert.Subset(dependencies.ToHashSet(), probers.ToHashSet());
    }

    [Fact]
    public void Every_address_in_an_environment_is_a_service_listening_on_that_port()
    {
        var addresses = (
            from service in published.Services.Keys
            from variable in published.Environment(service)
            let match = Address().Match(variable.Value)
            where match.Success
            select (service, variable.Key, Host: match.Groups["host"].Value, Port: match.Groups["port"].Value)).ToArray();

        // The runner's references (prometheus for its backpressure view), every project's OTLP endpoint and Grafana's
        // datasource at least.
        Assert.Equal(RunningApp.SystemReplicas.Values.Sum(), addresses.Count(a => a.Key == "OTEL_EXPORTER_OTLP_ENDPOINT"));
        Assert.Contains(addresses, a => a.service == "grafana" && a.Key == "PROMETHEUS_URL");
        Assert.Equal(["prober", "probetarget", "prometheus", "stock"], addresses.Where(a => a.service == "runner" && a.Key.StartsWith("services__", StringComparison.Ordinal))
            .Select(a => a.Key.Split("__")[1]).Distinct().Order(StringComparer.Ordinal));
        Assert.All(addresses, a =>
        {
            Assert.True(published.Services.ContainsKey(a.Host), $"{a.service}: {a.Key} names no service '{a.Host}'");
            Assert.Contains(a.Port, published.ContainerPorts(a.Host));
        });
        // And each project listens where it says it does.
        Assert.All(published.Services.Keys, service => Assert.All(
            published.Environment(service).Where(e => e.Key.StartsWith("Kestrel__Endpoints__", StringComparison.Ordinal)),
            kestrel => Assert.Contains(PortOf(kestrel.Value), published.ContainerPorts(service))));
    }

    [Fact]
    public void Images_mounts_dependencies_and_build_commands_refer_to_what_exists()
    {
        foreach (var (service, node) in published.Services)
        {
            var image = node["image"].ToString();
            if (ImageVariable().Match(image) is { Success: true } variable)
            {
                Assert.True(published.DotEnv.ContainsKey(variable.Groups["name"].Value), $"{service}: {image} is not in .env");
            }
            foreach (var volume in published.List(service, "volumes"))
            {
                var source = Path.Combine(published.Directory, volume.Split(':')[0]);
                Assert.True(File.Exists(source) || Directory.Exists(source), $"{service}: {volume}");
            }
            if (node.Children.TryGetValue("depends_on", out var dependencies))
            {
                Assert.All(((YamlMappingNode)dependencies).Children.Keys, d => Assert.Contains(d.ToString(), published.Services.Keys));
            }
        }

        // Every project image has its SDK container build, from the output folder, of a project that is there.
        var builds = File.ReadAllLines(Path.Combine(published.Directory, ".env")).Select(line => Build().Match(line)).Where(m => m.Success).ToArray();
        Assert.Equal(published.DotEnv.Count, builds.Length);
        Assert.All(builds, build => Assert.NotEmpty(Directory.GetFiles(Path.Combine(published.Directory, build.Groups["project"].Value), "*.csproj")));

        // Grafana gets the repository's provisioning and dashboards, as they are.
        var grafana = Path.Combine(published.Directory, "grafana");
        var files = GrafanaFiles.ProvisioningFiles().Concat(GrafanaFiles.DashboardFiles()).ToArray();
        Assert.Equal(files.Select(f => Path.GetRelativePath(GrafanaFiles.Root, f)).Order(),
            Directory.EnumerateFiles(grafana, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(grafana, f)).Order());
        Assert.All(files, f => Assert.Equal(File.ReadAllBytes(f), File.ReadAllBytes(Path.Combine(grafana, Path.GetRelativePath(GrafanaFiles.Root, f)))));
    }

    [Fact]
    public async Task Prometheus_yml_passes_promtool_and_scrapes_each_replica_once_with_its_labels()
    {
        var config = Path.Combine(published.Directory, "prometheus.yml");
        var (exitCode, output) = await RunAsync("/usr/bin/promtool", "check", "config", config);
        Assert.True(exitCode == 0, output);
        Assert.Contains("./prometheus.yml:/etc/prometheus/prometheus.yml:ro", published.List("prometheus", "volumes"));

        var job = (YamlMappingNode)Assert.Single((YamlSequenceNode)PublishedSystem.Load(config)["scrape_configs"]);
        var targets = ((YamlSequenceNode)job["static_configs"]).Cast<YamlMappingNode>().Select(t => (
            Target: Assert.Single((YamlSequenceNode)t["targets"]).ToString(),
            Labels: ((YamlMappingNode)t["labels"]).Children.ToDictionary(l => l.Key.ToString(), l => l.Value.ToString()))).ToArray();
        foreach (var resource in RunningApp.SystemReplicas.Keys)
        {
            var scraped = targets.Where(t => t.Labels["resource"] == resource).ToArray();
            Assert.Equal(ServicesOf(resource), scraped.Select(t => t.Labels["instance"]));
            Assert.All(scraped, t =>
            {
                Assert.Equal($"{t.Labels["instance"]}:{PortOf(published.Environment(t.Labels["instance"])["Kestrel__Endpoints__http__Url"])}", t.Target);
                Assert.Equal("/metrics", t.Labels["__metrics_path__"]);
            });
        }
        Assert.Equal(RunningApp.SystemReplicas.Values.Sum(), targets.Length);
    }

    /// <summary>The compose services of <paramref name="resource"/>, in file order.</summary>
    private List<string> ServicesOf(string resource) =>
        [.. published.Services.Keys.Where(s => s == resource || Regex.IsMatch(s, $"^{Regex.Escape(resource)}-[0-9]+$"))];

    private static string PortOf(string url) => Port().Match(url) is { Success: true } match ? match.Groups[1].Value : throw new FormatException(url);

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            var output = Task.WhenAll(process.StandardOutput.ReadToEndAsync(timeout.Token), process.StandardError.ReadToEndAsync(timeout.Token));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, string.Concat(await output));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [GeneratedRegex(@"^(?<scheme>https?)://(?<host>[^:/*]+):(?<port>[0-9]+)/?$")]
    private static partial Regex Address();

    [GeneratedRegex(@":([0-9]+)/?$")]
    private static partial Regex Port();

    [GeneratedRegex(@"^\$\{(?<name>[A-Z0-9_]+)\}$")]
    private static partial Regex ImageVariable();

    [GeneratedRegex(@"^# dotnet publish (?<project>\S+) -c Release -t:PublishContainer -p:ContainerRepository=\S+$")]
    private static partial Regex Build();
}
