using System.Collections;
using System.Globalization;
using System.Text;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace AspireProber.ServiceDefaults.Prometheus;

/// <summary>
/// Writes one collection of metrics in the Prometheus text format 0.0.4 or in OpenMetrics 1.0. Metrics whose
/// names map to the same family are written together; a later metric whose type clashes with the family is dropped,
/// because a family of two types is invalid exposition.
/// </summary>
internal static class PrometheusSerializer
{
    /// <summary>Content type of the text format 0.0.4.</summary>
    public const string TextContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Content type of OpenMetrics 1.0.</summary>
    public const string OpenMetricsContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private enum FamilyType { Counter, Gauge, Histogram }

    private sealed record Family(string Name, string Unit, FamilyType Type, string Help, List<Metric> Metrics);

    /// <summary>Appends the exposition of <paramref name="batch"/> (and <c>target_info</c> from the resource) to <paramref name="output"/>.</summary>
    public static void Write(StringBuilder output, in Batch<Metric> batch, Resource? resource, bool openMetrics)
    {
        var families = new Dictionary<string, Family>(StringComparer.Ordinal);
        var order = new List<Family>();
        foreach (var metric in batch)
        {
            if (metric.MetricType == MetricType.ExponentialHistogram)
            {
                continue; // Not configured by these defaults; Prometheus 2.x text has no native histograms.
            }
            var (name, unit) = PrometheusNames.FamilyName(metric);
            var type = PrometheusNames.IsCounter(metric.MetricType) ? FamilyType.Counter
                : metric.MetricType == MetricType.Histogram ? FamilyType.Histogram
                : FamilyType.Gauge;
            if (families.TryGetValue(name, out var family))
            {
                if (family.Type == type)
                {
                    family.Metrics.Add(metric);
                }
                continue;
            }
            var help = string.IsNullOrWhiteSpace(metric.Description)
                ? $"{metric.Name} ({(string.IsNullOrEmpty(metric.Unit) ? "no unit" : metric.Unit)}) from {metric.MeterName}"
                : metric.Description;
            family = new Family(name, unit, type, help, [metric]);
            families[name] = family;
            order.Add(family);
        }

        WriteTargetInfo(output, resource, openMetrics);
        foreach (var family in order)
        {
            WriteFamily(output, family, openMetrics);
        }
        if (openMetrics)
        {
            output.Append("# EOF\n");
        }
    }

    private static void WriteTargetInfo(StringBuilder output, Resource? resource, bool openMetrics)
    {
        var attributes = resource?.Attributes.Select(attribute => new KeyValuePair<string, object?>(attribute.Key, attribute.Value)).ToList() ?? [];
        if (attributes.Count == 0)
        {
            return;
        }
        // OpenMetrics has an "info" type whose samples end in _info; the text format spells it as a gauge of 1.
        var family = openMetrics ? "target" : "target_info";
        output.Append("# HELP ").Append(family).Append(" Target metadata\n");
        output.Append("# TYPE ").Append(family).Append(openMetrics ? " info\n" : " gauge\n");
        output.Append("target_info");
        WriteLabels(output, attributes, extraName: null, extraValue: null);
        output.Append(" 1\n");
    }

    private static void WriteFamily(StringBuilder output, Family family, bool openMetrics)
    {
        // The text format names a counter family after its samples (x_total); OpenMetrics names it x.
        var familyName = family.Type == FamilyType.Counter && !openMetrics ? family.Name + "_total" : family.Name;
        var typeWord = family.Type switch { FamilyType.Counter => "counter", FamilyType.Histogram => "histogram", _ => "gauge" };
        output.Append("# HELP ").Append(familyName).Append(' ');
        AppendEscaped(output, family.Help, escapeQuotes: openMetrics);
        output.Append('\n');
        output.Append("# TYPE ").Append(familyName).Append(' ').Append(typeWord).Append('\n');
        if (openMetrics && family.Unit.Length > 0)
        {
            output.Append("# UNIT ").Append(familyName).Append(' ').Append(family.Unit).Append('\n');
        }

        foreach (var metric in family.Metrics)
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                var tags = new List<KeyValuePair<string, object?>>();
                foreach (var tag in point.Tags)
                {
                    tags.Add(tag);
                }
                switch (family.Type)
                {
                    case FamilyType.Histogram:
                        WriteHistogram(output, family.Name, tags, point);
                        break;
                    case FamilyType.Counter:
                        WriteSample(output, family.Name + "_total", tags, Value(metric.MetricType, point));
                        break;
                    default:
                        WriteSample(output, family.Name, tags, Value(metric.MetricType, point));
                        break;
                }
            }
        }
    }

    private static void WriteHistogram(StringBuilder output, string name, List<KeyValuePair<string, object?>> tags, in MetricPoint point)
    {
        long cumulative = 0;
        foreach (var bucket in point.GetHistogramBuckets())
        {
            cumulative += bucket.BucketCount;
            output.Append(name).Append("_bucket");
            WriteLabels(output, tags, "le", FormatDouble(bucket.ExplicitBound));
            output.Append(' ').Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        WriteSample(output, name + "_sum", tags, FormatDouble(point.GetHistogramSum()));
        WriteSample(output, name + "_count", tags, point.GetHistogramCount().ToString(CultureInfo.InvariantCulture));
    }

    private static string Value(MetricType type, in MetricPoint point) => type switch
    {
        MetricType.LongSum or MetricType.LongSumNonMonotonic => point.GetSumLong().ToString(CultureInfo.InvariantCulture),
        MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic => FormatDouble(point.GetSumDouble()),
        MetricType.LongGauge => point.GetGaugeLastValueLong().ToString(CultureInfo.InvariantCulture),
        _ => FormatDouble(point.GetGaugeLastValueDouble()),
    };

    private static void WriteSample(StringBuilder output, string name, List<KeyValuePair<string, object?>> tags, string value)
    {
        output.Append(name);
        WriteLabels(output, tags, extraName: null, extraValue: null);
        output.Append(' ').Append(value).Append('\n');
    }

    private static void WriteLabels(StringBuilder output, List<KeyValuePair<string, object?>> tags, string? extraName, string? extraValue)
    {
        if (tags.Count == 0 && extraName is null)
        {
            return;
        }
        // Keys that sanitize to the same label name share it, values joined with ';' in key order (OTel spec).
        var labels = tags
            .Select(tag => (Name: PrometheusNames.LabelName(tag.Key), tag.Key, Value: FormatTagValue(tag.Value)))
            .OrderBy(label => label.Name, StringComparer.Ordinal).ThenBy(label => label.Key, StringComparer.Ordinal)
            .GroupBy(label => label.Name)
            .Select(group => (group.Key, Value: string.Join(';', group.Select(label => label.Value))));
        output.Append('{');
        var first = true;
        foreach (var (name, value) in labels)
        {
            if (name == extraName)
            {
                continue; // A tag named "le" would clash with the bucket bound.
            }
            AppendLabel(output, name, value, ref first);
        }
        if (extraName is not null)
        {
            AppendLabel(output, extraName, extraValue!, ref first);
        }
        output.Append('}');
    }

    private static void AppendLabel(StringBuilder output, string name, string value, ref bool first)
    {
        if (!first)
        {
            output.Append(',');
        }
        first = false;
        output.Append(name).Append("=\"");
        AppendEscaped(output, value, escapeQuotes: true);
        output.Append('"');
    }

    private static void AppendEscaped(StringBuilder output, string text, bool escapeQuotes)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\': output.Append(@"\\"); break;
                case '\n': output.Append(@"\n"); break;
                case '"' when escapeQuotes: output.Append("\\\""); break;
                default: output.Append(c); break;
            }
        }
    }

    private static string FormatTagValue(object? value) => value switch
    {
        null => "",
        string text => text,
        bool flag => flag ? "true" : "false",
        double number => FormatDouble(number),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => "[" + string.Join(",", items.Cast<object?>().Select(FormatTagValue)) + "]",
        _ => value.ToString() ?? "",
    };

    private static string FormatDouble(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);
}
