using Aspire.Hosting;
using Aspire.Hosting.Testing;
using YamlDotNet.RepresentationModel;

namespace AspireProber.AppHost.Tests;

/// <summary>
/// The real AppHost published once, in this process, as <c>--operation publish --step publish --output-path</c>
/// (what <c>aspire publish</c> passes): its files in a temporary folder, deleted afterwards. Nothing is started.
/// </summary>
public sealed class PublishedSystem : IAsyncLifetime
{
    /// <summary>The output path.</summary>
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("aspireprober-publish-").FullName;

    /// <summary>docker-compose.yaml's services by name.</summary>
    public IReadOnlyDictionary<string, YamlMappingNode> Services { get; private set; } = null!;

    /// <summary>The variables of .env.</summary>
    public IReadOnlyDictionary<string, string> DotEnv { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AspireProber_AppHost>(
            ["--operation", "publish", "--step", "publish", "--output-path", Directory]);
        await using var app = await builder.BuildAsync();
        // The pipeline stops the app when it is done; a hang fails here instead of hanging the run.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await app.RunAsync(timeout.Token);

        var compose = (YamlMappingNode)Load(Path.Combine(Directory, "docker-compose.yaml"))["services"];
        Services = compose.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => (YamlMappingNode)c.Value);
        DotEnv = File.ReadAllLines(Path.Combine(Directory, ".env"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);
    }

    public Task DisposeAsync()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>The single document of a YAML file.</summary>
    public static YamlMappingNode Load(string file)
    {
        var stream = new YamlStream();
        using var reader = File.OpenText(file);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    /// <summary>A service's environment (empty if it has none).</summary>
    public IReadOnlyDictionary<string, string> Environment(string service) =>
        Services[service].Children.TryGetValue("environment", out var environment)
            ? ((YamlMappingNode)environment).Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value!)
            : new Dictionary<string, string>();

    /// <summary>The strings of one of a service's lists (ports, expose, volumes), empty if it has none.</summary>
    public IReadOnlyList<string> List(string service, string key) =>
        Services[service].Children.TryGetValue(key, out var list)
            ? [.. ((YamlSequenceNode)list).Children.Select(item => ((YamlScalarNode)item).Value!)]
            : [];

    /// <summary>The container ports a service listens on: what it exposes to the others or publishes on the host.</summary>
    public IEnumerable<string> ContainerPorts(string service) =>
        List(service, "expose").Concat(List(service, "ports").Select(port => port.Split(':')[^1]));
}
