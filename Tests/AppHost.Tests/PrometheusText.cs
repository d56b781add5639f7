using System.Globalization;
using System.Text.RegularExpressions;

namespace AspireProber.AppHost.Tests;

/// <summary>Counter samples of a Prometheus text exposition (label values here hold no quotes or escapes).</summary>
internal static partial class PrometheusText
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    /// <summary>The samples of the series named <paramref name="name"/> that carry labels.</summary>
    public static Sample[] Parse(string exposition, string name) =>
    [
        .. exposition.Split('\n').Select(line => SampleLine().Match(line)).Where(m => m.Success && m.Groups["name"].Value == name).Select(m => new Sample(
            m.Groups["name"].Value,
            m.Groups["label"].Captures.Select((c, i) => (c.Value, m.Groups["value"].Captures[i].Value)).ToDictionary(l => l.Item1, l => l.Item2),
            double.Parse(m.Groups["sample"].Value, CultureInfo.InvariantCulture))),
    ];

    // `name{a="x",b="y"} 12`
    [GeneratedRegex("""^(?<name>\w+)\{(?:(?<label>\w+)="(?<value>[^"]*)",?)*\} (?<sample>\S+)""")]
    private static partial Regex SampleLine();
}
