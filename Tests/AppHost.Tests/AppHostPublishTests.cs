using System.Diagnostics;
using Aspire.Hosting;
using YamlDotNet.RepresentationModel;

namespace AspireProber.AppHost.Tests;

/// <summary>
/// <c>AspireProber.AppHost publish --output &lt;dir&gt;</c>: the real model as a docker-compose.yaml, nothing started,
/// and a self-contained output directory: Prometheus' configuration and Grafana's provisioning next to it.
/// </summary>
public sealed class AppHostPublishTests : IDisposable
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(60);

    private readonly string _output = Directory.CreateTempSubdirectory("apphost-publish-").FullName;

    [Fact]
    public async Task Publish_writes_every_replica_as_a_service_wired_by_compose_names_and_starts_nothing()
    {
        var services = await PublishAsync();

        Assert.Equal(
            new[] { "aspire-dashboard", "grafana", "prober-0", "prober-1", "prober-2", "probetarget", "prometheus", "runner", "stock" },
            services.Children.Keys.Select(k => k.ToString()).Order());

        var runner = (YamlMappingNode)services.Children["runner"];
        Assert.Equal("aspireprober-runner:latest", runner.Children["image"].ToString());
        var env = ((YamlMappingNode)runner.Children["environment"]).Children.ToDictionary(e => e.Key.ToString(), e => e.Value.ToString());
        for (var i = 0; i < 3; i++)
        {
            // The prober's first endpoint (grpc) listens on 8080 in its container.
            Assert.Equal($"http://prober-{i}:8080", env[$"services__prober__grpc__{i}"]);
        }
        Assert.DoesNotContain("services__prober__grpc__3", env.Keys);
        Assert.Equal("http://stock:8080", env["services__stock__grpc__0"]);
        Assert.Equal("http://probetarget:8080", env["services__probetarget__http__0"]);
        Assert.Equal("http://aspire-dashboard:18889", env["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var dependsOn = (YamlMappingNode)runner.Children["depends_on"];
        Assert.Equal(new[] { "prober-0", "prober-1", "prober-2", "probetarget", "stock" }, dependsOn.Children.Keys.Select(k => k.ToString()).Order());
        Assert.All(dependsOn.Children.Values, d => Assert.Equal("service_healthy", ((YamlMappingNode)d).Children["condition"].ToString()));
    }

    [Fact]
    public async Task Publish_writes_a_promtool_valid_prometheus_yml_scraping_every_replica_by_its_service_name()
    {
        var services = await PublishAsync();

        var prometheus = (YamlMappingNode)services.Children["prometheus"];
        Assert.Equal(new[] { "./prometheus:/etc/prometheus/aspire:ro" }, Strings(prometheus, "volumes"));
        Assert.Contains("--config.file=/etc/prometheus/aspire/prometheus.yml", Strings(prometheus, "command"));
        var config = Path.Combine(_output, "prometheus", "prometheus.yml");
        var targets =
            from job in ((YamlSequenceNode)Load(config).Children["scrape_configs"]).Children.Cast<YamlMappingNode>()
            from targetGroup in ((YamlSequenceNode)job.Children["static_configs"]).Children.Cast<YamlMappingNode>()
            let labels = (YamlMappingNode)targetGroup.Children["labels"]
            select (Assert.Single(Strings(targetGroup, "targets")), labels.Children["resource"].ToString(), labels.Children["instance"].ToString());
        // Every replica once, at its service name and the port of its http endpoint in its container (8081 where grpc is the first).
        Assert.Equal(
            [
                ("prober-0:8081", "prober", "prober-0"), ("prober-1:8081", "prober", "prober-1"), ("prober-2:8081", "prober", "prober-2"),
                ("probetarget:8080", "probetarget", "probetarget-0"), ("runner:8081", "runner", "runner-0"), ("stock:8081", "stock", "stock-0"),
            ],
            targets.Order());
        var (exitCode, output) = await RunAsync("promtool", ["check", "config", config], _output);
        Assert.True(exitCode == 0, $"promtool check config failed:\n{output}\n{await File.ReadAllTextAsync(config)}");
    }

    [Fact]
    public async Task Publish_copies_grafana_provisioning_and_dashboards_into_the_output_and_points_the_datasource_at_the_prometheus_service()
    {
        var services = await PublishAsync();

        var grafana = (YamlMappingNode)services.Children["grafana"];
        var volumes = Strings(grafana, "volumes");
        Assert.Equal(new[] { "/etc/grafana/provisioning", GrafanaResourceBuilderExtensions.DashboardsPath }, volumes.Select(v => v.Split(':')[1]));
        foreach (var volume in volumes)
        {
            var source = volume.Split(':')[0];
            Assert.StartsWith("./", source);
            var copy = Path.GetFullPath(source, _output);
            var original = Path.Combine(GrafanaFiles.Root, Path.GetFileName(copy));
            Assert.NotEmpty(RelativeFiles(copy));
            Assert.Equal(RelativeFiles(original), RelativeFiles(copy));
            Assert.All(RelativeFiles(original), file => Assert.Equal(File.ReadAllText(Path.Combine(original, file)), File.ReadAllText(Path.Combine(copy, file))));
        }
        var env = ((YamlMappingNode)grafana.Children["environment"]).Children.ToDictionary(e => e.Key.ToString(), e => e.Value.ToString());
        Assert.Equal("http://prometheus:9090", env[GrafanaResourceBuilderExtensions.PrometheusUrlVariable]);
    }

    public void Dispose() => Directory.Delete(_output, recursive: true);

    /// <summary>Publishes the real AppHost's model into the test's output directory and returns the compose file's services.</summary>
    private async Task<YamlMappingNode> PublishAsync()
    {
        var (exitCode, output) = await RunAsync(Environment.ProcessPath!, [AppHostProcess.Dll, "publish", "--output", _output], Path.GetDirectoryName(AppHostProcess.Dll)!);
        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain("started: pid", output);
        return (YamlMappingNode)Load(Path.Combine(_output, "docker-compose.yaml")).Children["services"];
    }

    private static YamlMappingNode Load(string file)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(file))
        {
            yaml.Load(reader);
        }
        return (YamlMappingNode)yaml.Documents.Single().RootNode;
    }

    private static string[] Strings(YamlMappingNode node, string key) => [.. ((YamlSequenceNode)node.Children[key]).Children.Select(c => c.ToString())];

    /// <summary>Every file under <paramref name="directory"/>, relative to it, in order.</summary>
    private static string[] RelativeFiles(string directory) =>
        [.. Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(directory, f)).Order(StringComparer.Ordinal)];

    /// <summary>Runs <paramref name="fileName"/> (a path, or a program on PATH) to its exit (killed, with anything it started, if it outlives the limit).</summary>
    private static async Task<(int ExitCode, string Output)> RunAsync(string fileName, string[] args, string workingDirectory)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }
        using var process = Process.Start(startInfo)!;
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(s_limit);
            return (process.ExitCode, await stdout + await stderr);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
