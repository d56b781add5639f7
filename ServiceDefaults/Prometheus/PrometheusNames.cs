using System.Text;
using OpenTelemetry.Metrics;

namespace AspireProber.ServiceDefaults.Prometheus;

/// <summary>
/// OpenTelemetry → Prometheus names, per OpenTelemetry's "Prometheus and OpenMetrics compatibility" rules:
/// invalid characters become '_', the unit is spelled out and appended, monotonic counters end in <c>_total</c>.
/// </summary>
internal static class PrometheusNames
{
    // OpenTelemetry (UCUM) units → Prometheus unit words, as the specification lists them.
    private static readonly Dictionary<string, string> Units = new(StringComparer.Ordinal)
    {
        ["d"] = "days", ["h"] = "hours", ["min"] = "minutes", ["s"] = "seconds",
        ["ms"] = "milliseconds", ["us"] = "microseconds", ["ns"] = "nanoseconds",
        ["By"] = "bytes", ["KiBy"] = "kibibytes", ["MiBy"] = "mebibytes", ["GiBy"] = "gibibytes", ["TiBy"] = "tibibytes",
        ["KBy"] = "kilobytes", ["MBy"] = "megabytes", ["GBy"] = "gigabytes", ["TBy"] = "terabytes",
        ["m"] = "meters", ["V"] = "volts", ["A"] = "amperes", ["J"] = "joules", ["W"] = "watts", ["g"] = "grams",
        ["Cel"] = "celsius", ["Hz"] = "hertz", ["%"] = "percent",
    };

    // The denominator of a rate ("By/s") is singular: bytes_per_second.
    private static readonly Dictionary<string, string> PerUnits = new(StringComparer.Ordinal)
    {
        ["s"] = "second", ["m"] = "minute", ["h"] = "hour", ["d"] = "day", ["w"] = "week", ["mo"] = "month", ["y"] = "year",
    };

    /// <summary>The Prometheus family name of a metric (without <c>_total</c>) and its unit word ("" when none).</summary>
    public static (string Family, string Unit) FamilyName(Metric metric)
    {
        var name = MetricName(metric.Name);
        var unit = UnitWord(metric.Unit, metric.MetricType);
        if (name.EndsWith("_total", StringComparison.Ordinal) && IsCounter(metric.MetricType))
        {
            name = name[..^"_total".Length];
        }
        if (unit.Length > 0 && !name.EndsWith("_" + unit, StringComparison.Ordinal))
        {
            name = name + "_" + unit;
        }
        return (name, unit);
    }

    /// <summary>Monotonic sums are Prometheus counters; non-monotonic sums (up-down counters) are gauges.</summary>
    public static bool IsCounter(MetricType type) => type is MetricType.LongSum or MetricType.DoubleSum;

    /// <summary>The unit as a Prometheus word: <c>{annotations}</c> dropped, <c>1</c> is <c>ratio</c> on gauges, <c>a/b</c> is <c>a_per_b</c>.</summary>
    public static string UnitWord(string? unit, MetricType type)
    {
        if (string.IsNullOrEmpty(unit))
        {
            return "";
        }
        var withoutAnnotations = RemoveAnnotations(unit);
        if (withoutAnnotations == "1")
        {
            // A ratio only makes sense as a gauge; a counter of "1" is a count of things.
            return IsCounter(type) || type is MetricType.Histogram or MetricType.ExponentialHistogram ? "" : "ratio";
        }
        var slash = withoutAnnotations.IndexOf('/');
        if (slash < 0)
        {
            return Word(withoutAnnotations, Units);
        }
        var numerator = Word(withoutAnnotations[..slash], Units);
        var denominator = Word(withoutAnnotations[(slash + 1)..], PerUnits);
        return (numerator, denominator) switch
        {
            ("", "") => "",
            (_, "") => numerator,
            ("", _) => "per_" + denominator,
            _ => numerator + "_per_" + denominator,
        };
    }

    /// <summary>A valid metric name: <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>, runs of '_' collapsed.</summary>
    public static string MetricName(string name) => Sanitize(name, allowColon: true, digitPrefix: "_");

    /// <summary>A valid label name: <c>[a-zA-Z_][a-zA-Z0-9_]*</c>; a leading digit gets <c>key_</c> in front.</summary>
    public static string LabelName(string name) => Sanitize(name, allowColon: false, digitPrefix: "key_");

    private static string Word(string unit, Dictionary<string, string> words) =>
        unit.Length == 0 ? "" : words.TryGetValue(unit, out var word) ? word : Sanitize(unit, allowColon: false, digitPrefix: "").Trim('_');

    private static string RemoveAnnotations(string unit)
    {
        if (!unit.Contains('{'))
        {
            return unit.Trim();
        }
        var builder = new StringBuilder(unit.Length);
        var depth = 0;
        foreach (var c in unit)
        {
            depth += c == '{' ? 1 : 0;
            if (depth == 0)
            {
                builder.Append(c);
            }
            depth -= c == '}' && depth > 0 ? 1 : 0;
        }
        return builder.ToString().Trim();
    }

    private static string Sanitize(string name, bool allowColon, string digitPrefix)
    {
        var builder = new StringBuilder(name.Length + digitPrefix.Length);
        if (name.Length > 0 && char.IsAsciiDigit(name[0]))
        {
            builder.Append(digitPrefix);
        }
        foreach (var c in name)
        {
            var valid = char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':');
            var next = valid ? c : '_';
            if (next == '_' && builder.Length > 0 && builder[^1] == '_')
            {
                continue;
            }
            builder.Append(next);
        }
        return builder.Length == 0 ? "_" : builder.ToString();
    }
}
