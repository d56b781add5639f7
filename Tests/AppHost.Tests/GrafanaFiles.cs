using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace AspireProber.AppHost.Tests;

/// <summary>The repository's grafana/ directory: provisioning YAML, dashboard JSON, and every panel query in it.</summary>
internal static class GrafanaFiles
{
    public static string Root => Path.Combine(RepoPaths.Root(), "grafana");

    /// <summary>One PromQL query of one panel.</summary>
    public sealed record Query(string Dashboard, string Panel, string RefId, string Expression);

    public static IEnumerable<string> ProvisioningFiles() =>
        Directory.EnumerateFiles(Path.Combine(Root, "provisioning"), "*.*", SearchOption.AllDirectories).Order();

    public static IEnumerable<string> DashboardFiles() => Directory.EnumerateFiles(Path.Combine(Root, "dashboards"), "*.json").Order();

    public static YamlMappingNode LoadYaml(string file)
    {
        var stream = new YamlStream();
        using var reader = File.OpenText(file);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    public static JsonElement LoadJson(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(file));
        return document.RootElement.Clone();
    }

    /// <summary>Every panel of <paramref name="dashboard"/>, the panels of collapsed rows included.</summary>
    public static IEnumerable<JsonElement> Panels(JsonElement dashboard) =>
        dashboard.GetProperty("panels").EnumerateArray().SelectMany(panel => (JsonElement[])
            [panel, .. panel.TryGetProperty("panels", out var nested) ? nested.EnumerateArray() : Enumerable.Empty<JsonElement>()]);

    public static IEnumerable<Query> Queries() =>
        from file in DashboardFiles()
        let dashboard = LoadJson(file)
        from panel in Panels(dashboard)
        where panel.TryGetProperty("targets", out _)
        from target in panel.GetProperty("targets").EnumerateArray()
        select new Query(dashboard.GetProperty("title").GetString()!, panel.GetProperty("title").GetString()!, target.GetProperty("refId").GetString()!, target.GetProperty("expr").GetString()!);
}
