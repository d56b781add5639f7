using System.Text.RegularExpressions;

namespace AspireProber.AppHost.Tests;

/// <summary>
/// Just enough PromQL reading to list the metric names an expression selects (Prometheus itself checks the syntax:
/// the end-to-end test evaluates every expression there).
/// </summary>
internal static partial class PromQl
{
    private static readonly HashSet<string> s_keywords = ["by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan"];

    /// <summary>The metric names <paramref name="expression"/> selects: identifiers that are not functions, keywords, labels, durations or strings.</summary>
    public static IReadOnlySet<string> MetricNames(string expression)
    {
        // Strings first (they may hold braces), then what only holds label names or durations: matchers, ranges, groupings.
        var text = StringLiteral().Replace(expression, "\"\"");
        text = LabelMatchers().Replace(text, " ");
        text = Range().Replace(text, " ");
        text = Grouping().Replace(text, " ");
        return Identifier().Matches(text).Select(m => m.Value).Where(name => !s_keywords.Contains(name.ToLowerInvariant())).ToHashSet();
    }

    /// <summary>Replaces the Grafana variables the dashboards use, so the expression runs in Prometheus as Grafana would send it.</summary>
    public static string WithGrafanaVariables(string expression, TimeSpan rateInterval) =>
        expression.Replace("$__rate_interval", $"{(int)rateInterval.TotalSeconds}s", StringComparison.Ordinal);

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""|'(?:[^'\\]|\\.)*'")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Range();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    // A whole identifier (not the tail of a number such as 1e3) not followed by "(" (which makes it a function).
    [GeneratedRegex(@"(?<![\w:.$])[a-zA-Z_:][a-zA-Z0-9_:]*(?![\w:])(?!\s*\()")]
    private static partial Regex Identifier();
}
