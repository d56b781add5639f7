using System.Text.RegularExpressions;

namespace AspireProber.ServiceDefaults.Tests.Infrastructure;

/// <summary>Reads Prometheus exposition text back into lines and samples, independently of the serializer under test.</summary>
public static partial class Exposition
{
    /// <summary>The sample lines (no comments) whose metric name is exactly <paramref name="name"/>.</summary>
    public static List<string> Samples(string text, string name) =>
        text.Split('\n').Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal)).ToList();

    /// <summary>The value of the single sample of <paramref name="name"/> whose labels contain every given pair.</summary>
    public static string Value(string text, string name, params (string Label, string Value)[] labels)
    {
        var matches = Samples(text, name).Where(line => labels.All(label => line.Contains($"{label.Label}=\"{label.Value}\"", StringComparison.Ordinal))).ToList();
        Assert.True(matches.Count == 1, $"expected one sample of {name} with [{string.Join(",", labels)}], found {matches.Count}:\n{text}");
        return matches[0][(matches[0].LastIndexOf(' ') + 1)..];
    }

    /// <summary>The comment line of a family, e.g. <c>Comment(text, "TYPE", "x_total")</c> returns "counter".</summary>
    public static string? Comment(string text, string kind, string family)
    {
        var prefix = $"# {kind} {family} ";
        return text.Split('\n').FirstOrDefault(line => line.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..];
    }

    /// <summary>Every metric name of every sample line is a valid Prometheus name, and no name has two TYPE lines.</summary>
    public static void AssertWellFormed(string text)
    {
        var types = text.Split('\n').Where(line => line.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(line => line.Split(' ')[2]).ToList();
        Assert.Equal(types.Count, types.Distinct().Count());
        foreach (var line in text.Split('\n').Where(line => line.Length > 0 && line[0] != '#'))
        {
            Assert.Matches(SampleLine(), line);
        }
    }

    [GeneratedRegex("""^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\["\\n])*",?)*\})? (-?[0-9.eE+-]+|\+Inf|-Inf|NaN)$""")]
    private static partial Regex SampleLine();
}
