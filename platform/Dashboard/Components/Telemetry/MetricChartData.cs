using AspireProber.Dashboard.Components.Charts;
using AspireProber.Dashboard.Telemetry;

namespace AspireProber.Dashboard.Components.Telemetry;

/// <summary>
/// Turns stored metric series into chart lines: counters as per-second rates and totals, histograms as percentiles over
/// a sliding window and counts, gauges as values, several series summed on one time axis. Only points at or after
/// <c>from</c> become chart points, so a page draws the recent past and not the whole history the store keeps.
/// </summary>
public static class MetricChartData
{
    /// <summary>How far back the charts reach from the newest point.</summary>
    public static readonly TimeSpan ChartSpan = TimeSpan.FromMinutes(5);

    /// <summary>The window each percentile point covers: the measurements of roughly the last 10 seconds before it.</summary>
    public static readonly TimeSpan PercentileWindow = TimeSpan.FromSeconds(10);

    /// <summary>The quantiles histogram charts draw.</summary>
    public static readonly IReadOnlyList<(double Quantile, string Name)> Quantiles = [(0.5, "p50"), (0.9, "p90"), (0.99, "p99")];

    /// <summary>
    /// The start of the charts' time axis: the oldest point of <paramref name="series"/>, but no more than <see cref="ChartSpan"/>
    /// before the newest one.
    /// </summary>
    public static DateTime From(IEnumerable<MetricSeries> series)
    {
        var withPoints = series.Where(s => s.Points.Count > 0).ToArray();
        if (withPoints.Length == 0)
        {
            return DateTime.MinValue;
        }
        var oldest = withPoints.Min(s => s.Points[0].Time);
        var newest = withPoints.Max(s => s.Points[^1].Time);
        return oldest > newest - ChartSpan ? oldest : newest - ChartSpan;
    }

    /// <summary>A gauge's or sum's values (a counter's running total).</summary>
    public static ChartSeries Values(string name, MetricSeries series, DateTime from) =>
        new(name, series.Points.Where(p => p.Time >= from).Select(p => Point(p.Time, p.Value)).ToArray());

    /// <summary>A counter's increase per second between consecutive points.</summary>
    public static ChartSeries Rates(string name, MetricSeries series, DateTime from) =>
        new(name, series.GetRates().Where(r => r.Time >= from).Select(r => Point(r.Time, r.PerSecond)).ToArray());

    /// <summary>A histogram's count of measurements since its start.</summary>
    public static ChartSeries Counts(string name, MetricSeries series, DateTime from) =>
        new(name, series.Points.Where(p => p.Time >= from && p.Histogram is not null).Select(p => Point(p.Time, p.Histogram!.Count)).ToArray());

    /// <summary>
    /// One line per <see cref="Quantiles"/> entry: at each point, the quantile of the measurements made in the
    /// <see cref="PercentileWindow"/> before it (HistogramValue.Since), times <paramref name="scale"/> (e.g. 1000 for s → ms).
    /// Windows without measurements, or across a restart, leave a gap.
    /// </summary>
    public static IReadOnlyList<ChartSeries> Percentiles(MetricSeries series, DateTime from, double scale = 1)
    {
        var lines = Quantiles.Select(_ => new List<ChartPoint>()).ToArray();
        foreach (var (time, window) in Windows(series, from))
        {
            for (var q = 0; q < Quantiles.Count; q++)
            {
                if (window.Percentile(Quantiles[q].Quantile) is { } value)
                {
                    lines[q].Add(Point(time, value * scale));
                }
            }
        }
        return Quantiles.Select((q, i) => new ChartSeries(q.Name, lines[i])).ToArray();
    }

    /// <summary>The per-second rate of a histogram's sum: for a duration histogram, the seconds spent per second.</summary>
    public static ChartSeries SumRates(string name, MetricSeries series, DateTime from, double scale = 1)
    {
        var points = new List<ChartPoint>();
        for (var i = 1; i < series.Points.Count; i++)
        {
            var (previous, current) = (series.Points[i - 1], series.Points[i]);
            var seconds = (current.Time - previous.Time).TotalSeconds;
            if (current.Time >= from && seconds > 0 && current.StartTime == previous.StartTime
                && current.Histogram is { } now && previous.Histogram is { } before && now.Since(before) is { } window)
            {
                points.Add(Point(current.Time, window.Sum / seconds * scale));
            }
        }
        return new ChartSeries(name, points);
    }

    /// <summary>
    /// Several series added up on one time axis (e.g. a consumer's counter on every replica): at each time any of them
    /// reported, the sum of each one's latest value so far. Series report at their own times; this lines them up.
    /// </summary>
    public static IReadOnlyList<(DateTime Time, double Value)> StepSum(IReadOnlyList<MetricSeries> series, DateTime from, Func<MetricPoint, double> value)
    {
        var times = series.SelectMany(s => s.Points).Select(p => p.Time).Where(t => t >= from).Distinct().Order().ToArray();
        var result = new List<(DateTime, double)>(times.Length);
        var next = new int[series.Count];
        var latest = new double?[series.Count];
        foreach (var time in times)
        {
            for (var s = 0; s < series.Count; s++)
            {
                var points = series[s].Points;
                while (next[s] < points.Count && points[next[s]].Time <= time)
                {
                    latest[s] = value(points[next[s]++]);
                }
            }
            // Until every series has reported once, a sum would count only some of them.
            if (latest.All(v => v is not null))
            {
                result.Add((time, latest.Sum(v => v!.Value)));
            }
        }
        return result;
    }

    /// <summary>
    /// <paramref name="minuend"/> minus <paramref name="subtrahend"/> (e.g. updates sent minus updates received) at every
    /// time either reported within the span both cover, each interpolated linearly there. Two processes export at different
    /// moments; comparing one's fresh value with the other's last export would draw a saw-tooth of up to one export
    /// interval's worth of updates that is not there. When the spans do not overlap (one export each, say), the latest
    /// values are compared.
    /// </summary>
    public static IReadOnlyList<(DateTime Time, double Value)> Difference(IReadOnlyList<(DateTime Time, double Value)> minuend, IReadOnlyList<(DateTime Time, double Value)> subtrahend)
    {
        if (minuend.Count == 0 || subtrahend.Count == 0)
        {
            return [];
        }
        var first = minuend[0].Time > subtrahend[0].Time ? minuend[0].Time : subtrahend[0].Time;
        var last = minuend[^1].Time < subtrahend[^1].Time ? minuend[^1].Time : subtrahend[^1].Time;
        if (first > last)
        {
            var latest = minuend[^1].Time > subtrahend[^1].Time ? minuend[^1].Time : subtrahend[^1].Time;
            return [(latest, minuend[^1].Value - subtrahend[^1].Value)];
        }
        return minuend.Select(p => p.Time).Concat(subtrahend.Select(p => p.Time))
            .Where(t => t >= first && t <= last)
            .Distinct()
            .Order()
            .Select(t => (t, Interpolate(minuend, t) - Interpolate(subtrahend, t)))
            .ToArray();
    }

    /// <summary>The value of a line at <paramref name="time"/> (inside its span), linear between its neighbouring points.</summary>
    private static double Interpolate(IReadOnlyList<(DateTime Time, double Value)> line, DateTime time)
    {
        var (low, high) = (0, line.Count - 1);
        while (high - low > 1)
        {
            var middle = (low + high) / 2;
            (low, high) = line[middle].Time <= time ? (middle, high) : (low, middle);
        }
        var (before, after) = (line[low], line[high]);
        if (time <= before.Time || after.Time <= before.Time)
        {
            return time >= after.Time ? after.Value : before.Value;
        }
        return before.Value + (after.Value - before.Value) * (time - before.Time).TotalMilliseconds / (after.Time - before.Time).TotalMilliseconds;
    }

    /// <summary>A chart line of (time, value) pairs.</summary>
    public static ChartSeries Line(string name, IEnumerable<(DateTime Time, double Value)> values) =>
        new(name, values.Select(v => Point(v.Time, v.Value)).ToArray());

    /// <summary>A chart point at a UTC time.</summary>
    public static ChartPoint Point(DateTime utc, double value) => new(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)), value);

    /// <summary>The sliding windows of a histogram series: for each point at or after <paramref name="from"/>, what was measured in the window before it.</summary>
    private static IEnumerable<(DateTime Time, HistogramValue Window)> Windows(MetricSeries series, DateTime from)
    {
        var points = series.Points;
        var start = 0;
        for (var i = 1; i < points.Count; i++)
        {
            // The window starts at the newest point at least PercentileWindow older than point i (or the oldest one).
            while (start + 1 < i && points[start + 1].Time <= points[i].Time - PercentileWindow)
            {
                start++;
            }
            if (points[i].Time >= from && points[i].Histogram is { } current && points[start].Histogram is { } earlier
                && points[start].StartTime == points[i].StartTime && current.Since(earlier) is { Count: > 0 } window)
            {
                yield return (points[i].Time, window);
            }
        }
    }
}
