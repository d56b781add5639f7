using YamlDotNet.Serialization;

namespace AspireProber.AppHost.Publishing;

/// <summary>The part of the Compose specification (compose-spec.io) the publisher writes: services only.</summary>
internal sealed class ComposeFile
{
    /// <summary>The services by name, in the order the model declares them.</summary>
    [YamlMember(Alias = "services")]
    public OrderedDictionary<string, ComposeService> Services { get; } = [];

    /// <summary>The file as YAML, after <paramref name="header"/> (comment lines).</summary>
    public string ToYaml(string header) => header + Serializer.Serialize(this);

    // Quoted where YAML would read something else than a string (ports such as 127.0.0.1:3000:3000, "true").
    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithQuotingNecessaryStrings()
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull | DefaultValuesHandling.OmitEmptyCollections)
        .Build();
}

/// <summary>One container of the published system.</summary>
internal sealed class ComposeService
{
    [YamlMember(Alias = "image")]
    public required string Image { get; init; }

    [YamlMember(Alias = "environment")]
    public OrderedDictionary<string, string> Environment { get; } = [];

    /// <summary>Published on the host, as <c>127.0.0.1:host:container</c>.</summary>
    [YamlMember(Alias = "ports")]
    public List<string> Ports { get; } = [];

    /// <summary>Reachable from the other services only.</summary>
    [YamlMember(Alias = "expose")]
    public List<string> Expose { get; } = [];

    /// <summary>Bind mounts, as <c>./source:target:ro</c> relative to the compose file.</summary>
    [YamlMember(Alias = "volumes")]
    public List<string> Volumes { get; } = [];

    [YamlMember(Alias = "depends_on")]
    public OrderedDictionary<string, ComposeDependency> DependsOn { get; } = [];
}

/// <summary>When a service may start relative to one it depends on.</summary>
internal sealed class ComposeDependency
{
    /// <summary>
    /// <c>service_started</c>: a compose health check would need a client (curl) in the ASP.NET images, and the
    /// services retry their peers anyway.
    /// </summary>
    [YamlMember(Alias = "condition")]
    public string Condition { get; init; } = "service_started";
}
