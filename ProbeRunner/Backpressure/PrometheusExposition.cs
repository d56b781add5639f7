using System.Globalization;
using System.Text;

namespace AspireProber.ProbeRunner.Backpressure;

/// <summary>
/// Reads one metric's samples out of Prometheus' text exposition (what <c>/metrics</c> serves), summed by one label.
/// </summary>
/// <remarks>
/// Written here because no package this repository uses parses the text format: OpenTelemetry's exporter only writes
/// it, and Prometheus' own parser is Go. It reads only what the backpressure view needs, sample lines such as
/// <c>stock_updates_sent_total{otel_scope_name="AspireProber.Stock",consumer="fast"} 1.5e+03</c>: any labels in any
/// order, label values with the format's escapes (<c>\\</c>, <c>\"</c>, <c>\n</c>), a value with an exponent and an
/// optional timestamp. Comments, other metrics and lines it cannot read are skipped.
/// </remarks>
public static class PrometheusExposition
{
    /// <summary>
    /// The samples of <paramref name="metric"/> summed by the value of <paramref name="label"/> (a sample without it
    /// counts under ""), as <c>sum by (label) (metric)</c> would in PromQL.
    /// </summary>
    public static IReadOnlyDictionary<string, double> SumByLabel(string exposition, string metric, string label)
    {
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in exposition.Split('\n'))
        {
            if (TryReadSample(line.TrimEnd('\r'), metric, out var labels, out var value))
            {
                var key = labels.GetValueOrDefault(label, "");
                sums[key] = sums.GetValueOrDefault(key) + value;
            }
        }
        return sums;
    }

    /// <summary>Reads <c>metric{name="value",...} value [timestamp]</c>; false for any other line.</summary>
    internal static bool TryReadSample(string line, string metric, out Dictionary<string, string> labels, out double value)
    {
        labels = new Dictionary<string, string>(StringComparer.Ordinal);
        value = 0;
        if (!line.StartsWith(metric, StringComparison.Ordinal))
        {
            return false;
        }
        var position = metric.Length;
        if (position < line.Length && line[position] == '{' && !TryReadLabels(line, ref position, labels))
        {
            return false;
        }
        // A space must follow the name or the labels: "stock_updates_sent_total_created 1" is another metric.
        if (position >= line.Length || line[position] != ' ')
        {
            return false;
        }
        var fields = line[position..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length is 1 or 2 && double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    // From the '{' at position to just past the matching '}': name="value" pairs separated by commas (a trailing one allowed).
    private static bool TryReadLabels(string line, ref int position, Dictionary<string, string> labels)
    {
        position++;
        while (true)
        {
            SkipSpaces(line, ref position);
            if (position < line.Length && line[position] == '}')
            {
                position++;
                return true;
            }
            var equals = line.IndexOf('=', position);
            if (equals < 0)
            {
                return false;
            }
            var name = line[position..equals].Trim();
            position = equals + 1;
            if (position >= line.Length || line[position] != '"' || !TryReadQuoted(line, ref position, out var text))
            {
                return false;
            }
            labels[name] = text;
            SkipSpaces(line, ref position);
            if (position < line.Length && line[position] == ',')
            {
                position++;
            }
        }
    }

    // From the opening quote at position to just past the closing one, undoing the escapes \\ \" and \n.
    private static bool TryReadQuoted(string line, ref int position, out string text)
    {
        var value = new StringBuilder();
        position++;
        while (position < line.Length)
        {
            var c = line[position++];
            if (c == '"')
            {
                text = value.ToString();
                return true;
            }
            if (c == '\\' && position < line.Length)
            {
                var escaped = line[position++];
                value.Append(escaped == 'n' ? '\n' : escaped);
            }
            else
            {
                value.Append(c);
            }
        }
        text = "";
        return false;
    }

    private static void SkipSpaces(string line, ref int position)
    {
        while (position < line.Length && line[position] == ' ')
        {
            position++;
        }
    }
}
