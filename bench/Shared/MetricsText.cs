using System.Globalization;
using System.Text.RegularExpressions;

namespace AspireProber.Bench;

/// <summary>Sample values read from a Prometheus text scrape (a service's or Prometheus' own <c>/metrics</c>).</summary>
internal static partial class MetricsText
{
    /// <summary>The value of <paramref name="metric"/> (the first sample whose labels contain <paramref name="label"/>, when given); null when there is none.</summary>
    public static double? Value(string metrics, string metric, string? label = null) =>
        Samples(metrics, metric, label).Select(v => (double?)v).FirstOrDefault();

    /// <summary>The sum of every sample of <paramref name="metric"/> (e.g. over generations); null when there is none.</summary>
    public static double? Sum(string metrics, string metric) =>
        Samples(metrics, metric, null).Aggregate((double?)null, (sum, value) => (sum ?? 0) + value);

    private static IEnumerable<double> Samples(string metrics, string metric, string? label)
    {
        foreach (Match sample in Sample().Matches(metrics))
        {
            if (sample.Groups["name"].Value == metric && (label is null || sample.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)))
            {
                yield return double.Parse(sample.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }
    }

    // stock_updates_sent_total{consumer="bench-stalled",otel_scope_name="..."} 15012 1763780000000
    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>[^}]*)\})?\s+(?<value>[0-9.eE+-]+|NaN|[+-]Inf)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
