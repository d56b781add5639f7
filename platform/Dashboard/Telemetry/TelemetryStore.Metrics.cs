using System.Text;

namespace AspireProber.Dashboard.Telemetry;

// Metrics: instruments by (service, name); in each, one series per (replica, attribute set) with a ring buffer of
// points. Delta sums and histograms are added up here, so every stored point is cumulative.
public sealed partial class TelemetryStore
{
    private readonly Dictionary<(string Service, string Name), InstrumentEntry> _instruments = [];
    private readonly Lock _metricLock = new();
    private long _pointCount;
    private long _droppedPoints;

    /// <summary>The instruments of <paramref name="serviceName"/> (of every service when null), ordered by service then name.</summary>
    public IReadOnlyList<MetricInstrumentInfo> GetInstruments(string? serviceName = null)
    {
        lock (_metricLock)
        {
            return _instruments.Values
                .Select(i => i.Info)
                .Where(i => serviceName is null || i.ServiceName == serviceName)
                .OrderBy(i => i.ServiceName, StringComparer.Ordinal)
                .ThenBy(i => i.Name, StringComparer.Ordinal)
                .ToArray();
        }
    }

    /// <summary>One instrument of a service with every series (per replica and attribute set), or null when unknown.</summary>
    public MetricInstrument? GetInstrument(string serviceName, string instrumentName)
    {
        lock (_metricLock)
        {
            if (!_instruments.TryGetValue((serviceName, instrumentName), out var instrument))
            {
                return null;
            }
            var series = instrument.Series
                .OrderBy(s => s.Key.Resource.InstanceId, StringComparer.Ordinal)
                .ThenBy(s => s.Key.AttributesKey, StringComparer.Ordinal)
                .Select(s => new MetricSeries(s.Value.Resource, s.Value.Attributes, s.Value.Points.ToArray()))
                .ToArray();
            return new MetricInstrument(instrument.Info, series);
        }
    }

    private void AddMetrics(IReadOnlyList<IncomingMetric> metrics)
    {
        lock (_metricLock)
        {
            foreach (var metric in metrics)
            {
                var key = (metric.Resource.ServiceName, metric.Name);
                if (!_instruments.TryGetValue(key, out var instrument))
                {
                    _instruments[key] = instrument = new InstrumentEntry();
                }
                // The latest description wins: a redeployed service may have changed it.
                instrument.Info = new MetricInstrumentInfo(metric.Resource.ServiceName, metric.Name, metric.Unit, metric.Description, metric.Kind, metric.Scope);
                foreach (var incoming in metric.Points)
                {
                    var seriesKey = new SeriesKey(metric.Resource, AttributesKey(incoming.Attributes));
                    if (!instrument.Series.TryGetValue(seriesKey, out var series))
                    {
                        instrument.Series[seriesKey] = series = new SeriesEntry(metric.Resource, incoming.Attributes, Limits.MaxMetricsCount);
                    }
                    var point = metric.IsDelta && metric.Kind != MetricKind.Gauge ? Accumulate(series.Last, incoming.Point) : incoming.Point;
                    series.Last = point;
                    if (series.Points.Add(point))
                    {
                        _droppedPoints++;
                    }
                    else
                    {
                        _pointCount++;
                    }
                }
            }
        }
    }

    /// <summary>The cumulative point after <paramref name="delta"/>: the previous total plus the interval's.</summary>
    private static MetricPoint Accumulate(MetricPoint? previous, MetricPoint delta)
    {
        if (previous is null)
        {
            return delta;
        }
        if (delta.Histogram is not { } interval)
        {
            return delta with { StartTime = previous.StartTime, Value = previous.Value + delta.Value };
        }
        if (previous.Histogram is not { } total || !total.Bounds.SequenceEqual(interval.Bounds))
        {
            // New bucket layout: the running totals cannot be added up, so the series starts over.
            return delta;
        }
        var buckets = new ulong[interval.BucketCounts.Count];
        for (var i = 0; i < buckets.Length; i++)
        {
            buckets[i] = total.BucketCounts[i] + interval.BucketCounts[i];
        }
        var merged = new HistogramValue(
            total.Count + interval.Count,
            total.Sum + interval.Sum,
            Combine(total.Min, interval.Min, Math.Min),
            Combine(total.Max, interval.Max, Math.Max),
            interval.Bounds,
            buckets);
        return delta with { StartTime = previous.StartTime, Histogram = merged };

        static double? Combine(double? a, double? b, Func<double, double, double> pick) => a is null ? b : b is null ? a : pick(a.Value, b.Value);
    }

    /// <summary>A canonical text of an attribute set, independent of order, identifying its series.</summary>
    private static string AttributesKey(IReadOnlyList<TelemetryAttribute> attributes)
    {
        if (attributes.Count == 0)
        {
            return "";
        }
        var sorted = attributes.OrderBy(a => a.Key, StringComparer.Ordinal);
        var key = new StringBuilder();
        foreach (var attribute in sorted)
        {
            key.Append(attribute.Key).Append('=').Append(attribute.Value).Append('\u001f');
        }
        return key.ToString();
    }

    private readonly record struct SeriesKey(ResourceKey Resource, string AttributesKey);

    /// <summary>A stored instrument; changed only under the metric lock.</summary>
    private sealed class InstrumentEntry
    {
        public MetricInstrumentInfo Info { get; set; } = null!;
        public Dictionary<SeriesKey, SeriesEntry> Series { get; } = [];
    }

    /// <summary>A stored series; changed only under the metric lock.</summary>
    private sealed class SeriesEntry(ResourceKey resource, IReadOnlyList<TelemetryAttribute> attributes, int capacity)
    {
        public ResourceKey Resource { get; } = resource;
        public IReadOnlyList<TelemetryAttribute> Attributes { get; } = attributes;
        public RingBuffer<MetricPoint> Points { get; } = new(capacity);
        public MetricPoint? Last { get; set; }
    }
}
