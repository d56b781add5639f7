using AspireProber.Dashboard.Telemetry;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OtlpSpan = OpenTelemetry.Proto.Trace.V1.Span;
using OtlpStatusCode = OpenTelemetry.Proto.Trace.V1.Status.Types.StatusCode;

namespace AspireProber.Dashboard.Otlp;

/// <summary>
/// Turns an OTLP export request into a batch for the store. The whole request is converted (and so validated) before
/// anything is stored: an invalid item throws <see cref="OtlpValidationException"/> and the batch is rejected as a whole.
/// </summary>
internal sealed class OtlpDecoder(TelemetryLimits limits)
{
    private readonly OtlpValues _values = new(limits);

    /// <summary>The spans of a trace export.</summary>
    public TelemetryBatch Decode(ExportTraceServiceRequest request)
    {
        var resources = new List<TelemetryResource>(request.ResourceSpans.Count);
        var spans = new List<TelemetrySpan>();
        for (var r = 0; r < request.ResourceSpans.Count; r++)
        {
            var resourceSpans = request.ResourceSpans[r];
            var resource = _values.Resource(resourceSpans.Resource);
            resources.Add(resource);
            for (var s = 0; s < resourceSpans.ScopeSpans.Count; s++)
            {
                var scopeSpans = resourceSpans.ScopeSpans[s];
                var scope = scopeSpans.Scope?.Name ?? "";
                for (var i = 0; i < scopeSpans.Spans.Count; i++)
                {
                    spans.Add(Span(scopeSpans.Spans[i], resource.Key, scope, (r, s, i)));
                }
            }
        }
        return TelemetryBatch.OfSpans(resources, spans);
    }

    /// <summary>The records of a log export (ids are assigned by the store).</summary>
    public TelemetryBatch Decode(ExportLogsServiceRequest request)
    {
        var resources = new List<TelemetryResource>(request.ResourceLogs.Count);
        var logs = new List<TelemetryLog>();
        for (var r = 0; r < request.ResourceLogs.Count; r++)
        {
            var resourceLogs = request.ResourceLogs[r];
            var resource = _values.Resource(resourceLogs.Resource);
            resources.Add(resource);
            for (var s = 0; s < resourceLogs.ScopeLogs.Count; s++)
            {
                var scopeLogs = resourceLogs.ScopeLogs[s];
                var scope = scopeLogs.Scope?.Name ?? "";
                for (var i = 0; i < scopeLogs.LogRecords.Count; i++)
                {
                    var record = scopeLogs.LogRecords[i];
                    string Path(string field) => $"resource_logs[{r}].scope_logs[{s}].log_records[{i}].{field}";
                    logs.Add(new TelemetryLog(
                        Id: 0,
                        resource.Key,
                        scope,
                        // time_unix_nano is optional; the SDK's observed time is always set.
                        OtlpValues.Time(record.TimeUnixNano != 0 ? record.TimeUnixNano : record.ObservedTimeUnixNano),
                        (int)record.SeverityNumber,
                        record.SeverityText,
                        _values.Text(record.Body),
                        _values.Attributes(record.Attributes),
                        record.TraceId.IsEmpty ? null : OtlpValues.Hex(record.TraceId, 16) ?? throw OtlpValues.InvalidId(record.TraceId, 16, Path("trace_id")),
                        record.SpanId.IsEmpty ? null : OtlpValues.Hex(record.SpanId, 8) ?? throw OtlpValues.InvalidId(record.SpanId, 8, Path("span_id"))));
                }
            }
        }
        return TelemetryBatch.OfLogs(resources, logs);
    }

    /// <summary>
    /// The gauges, sums and explicit-bucket histograms of a metric export. Exponential histograms and summaries are
    /// accepted but not stored: the pages have no view of them.
    /// </summary>
    public TelemetryBatch Decode(ExportMetricsServiceRequest request)
    {
        var resources = new List<TelemetryResource>(request.ResourceMetrics.Count);
        var metrics = new List<IncomingMetric>();
        for (var r = 0; r < request.ResourceMetrics.Count; r++)
        {
            var resourceMetrics = request.ResourceMetrics[r];
            var resource = _values.Resource(resourceMetrics.Resource);
            resources.Add(resource);
            for (var s = 0; s < resourceMetrics.ScopeMetrics.Count; s++)
            {
                var scopeMetrics = resourceMetrics.ScopeMetrics[s];
                var scope = scopeMetrics.Scope?.Name ?? "";
                for (var i = 0; i < scopeMetrics.Metrics.Count; i++)
                {
                    if (DecodeMetric(scopeMetrics.Metrics[i], resource.Key, scope, $"resource_metrics[{r}].scope_metrics[{s}].metrics[{i}]") is { } metric)
                    {
                        metrics.Add(metric);
                    }
                }
            }
        }
        return TelemetryBatch.OfMetrics(resources, metrics);
    }

    /// <param name="index">Where the span is in the request, for error messages.</param>
    private TelemetrySpan Span(OtlpSpan span, ResourceKey resource, string scope, (int Resource, int Scope, int Span) index)
    {
        string Path(string field) => $"resource_spans[{index.Resource}].scope_spans[{index.Scope}].spans[{index.Span}].{field}";

        var events = new TelemetrySpanEvent[Math.Min(span.Events.Count, limits.MaxSpanEventCount)];
        for (var e = 0; e < events.Length; e++)
        {
            var spanEvent = span.Events[e];
            events[e] = new TelemetrySpanEvent(spanEvent.Name, OtlpValues.Time(spanEvent.TimeUnixNano), _values.Attributes(spanEvent.Attributes));
        }
        var links = new TelemetrySpanLink[span.Links.Count];
        for (var l = 0; l < links.Length; l++)
        {
            var link = span.Links[l];
            links[l] = new TelemetrySpanLink(
                OtlpValues.Hex(link.TraceId, 16) ?? throw OtlpValues.InvalidId(link.TraceId, 16, Path($"links[{l}].trace_id")),
                OtlpValues.Hex(link.SpanId, 8) ?? throw OtlpValues.InvalidId(link.SpanId, 8, Path($"links[{l}].span_id")),
                _values.Attributes(link.Attributes));
        }
        return new TelemetrySpan(
            resource,
            scope,
            OtlpValues.Hex(span.TraceId, 16) ?? throw OtlpValues.InvalidId(span.TraceId, 16, Path("trace_id")),
            OtlpValues.Hex(span.SpanId, 8) ?? throw OtlpValues.InvalidId(span.SpanId, 8, Path("span_id")),
            span.ParentSpanId.IsEmpty ? null : OtlpValues.Hex(span.ParentSpanId, 8) ?? throw OtlpValues.InvalidId(span.ParentSpanId, 8, Path("parent_span_id")),
            span.Name,
            span.Kind is >= OtlpSpan.Types.SpanKind.Unspecified and <= OtlpSpan.Types.SpanKind.Consumer ? (TelemetrySpanKind)span.Kind : TelemetrySpanKind.Unspecified,
            OtlpValues.Time(span.StartTimeUnixNano),
            OtlpValues.Time(span.EndTimeUnixNano),
            span.Status?.Code switch
            {
                OtlpStatusCode.Ok => TelemetryStatusCode.Ok,
                OtlpStatusCode.Error => TelemetryStatusCode.Error,
                _ => TelemetryStatusCode.Unset,
            },
            span.Status?.Message ?? "",
            _values.Attributes(span.Attributes),
            events,
            links);
    }

    private IncomingMetric? DecodeMetric(Metric metric, ResourceKey resource, string scope, string path)
    {
        if (string.IsNullOrEmpty(metric.Name))
        {
            throw new OtlpValidationException($"{path}.name is empty; every metric needs a name.");
        }
        IncomingMetric Incoming(MetricKind kind, bool isDelta, IReadOnlyList<IncomingPoint> points) =>
            new(resource, scope, metric.Name, metric.Unit, metric.Description, kind, isDelta, points);

        switch (metric.DataCase)
        {
            case Metric.DataOneofCase.Gauge:
                return Incoming(MetricKind.Gauge, isDelta: false, NumberPoints(metric.Gauge.DataPoints));
            case Metric.DataOneofCase.Sum:
                var isDelta = IsDelta(metric.Sum.AggregationTemporality, path + ".sum");
                return Incoming(metric.Sum.IsMonotonic ? MetricKind.Counter : MetricKind.UpDownCounter, isDelta, NumberPoints(metric.Sum.DataPoints));
            case Metric.DataOneofCase.Histogram:
                var histogramIsDelta = IsDelta(metric.Histogram.AggregationTemporality, path + ".histogram");
                return Incoming(MetricKind.Histogram, histogramIsDelta, HistogramPoints(metric.Histogram.DataPoints, path + ".histogram"));
            default:
                return null;
        }
    }

    private static bool IsDelta(AggregationTemporality temporality, string path) => temporality switch
    {
        AggregationTemporality.Delta => true,
        AggregationTemporality.Cumulative => false,
        _ => throw new OtlpValidationException($"{path}.aggregation_temporality is {temporality}; it must be DELTA or CUMULATIVE."),
    };

    private IncomingPoint[] NumberPoints(IList<NumberDataPoint> dataPoints)
    {
        var points = new List<IncomingPoint>(dataPoints.Count);
        foreach (var dataPoint in dataPoints)
        {
            if (HasNoValue(dataPoint.Flags))
            {
                continue;
            }
            var value = dataPoint.ValueCase == NumberDataPoint.ValueOneofCase.AsInt ? dataPoint.AsInt : dataPoint.AsDouble;
            points.Add(new IncomingPoint(
                _values.Attributes(dataPoint.Attributes),
                new MetricPoint(OtlpValues.Time(dataPoint.StartTimeUnixNano), OtlpValues.Time(dataPoint.TimeUnixNano), value, Histogram: null)));
        }
        return points.ToArray();
    }

    private IncomingPoint[] HistogramPoints(IList<HistogramDataPoint> dataPoints, string path)
    {
        var points = new List<IncomingPoint>(dataPoints.Count);
        for (var i = 0; i < dataPoints.Count; i++)
        {
            var dataPoint = dataPoints[i];
            if (HasNoValue(dataPoint.Flags))
            {
                continue;
            }
            if (dataPoint.BucketCounts.Count != 0 && dataPoint.BucketCounts.Count != dataPoint.ExplicitBounds.Count + 1)
            {
                throw new OtlpValidationException(
                    $"{path}.data_points[{i}] has {dataPoint.BucketCounts.Count} bucket_counts for {dataPoint.ExplicitBounds.Count} explicit_bounds; it needs one more count than bounds.");
            }
            var histogram = new HistogramValue(
                dataPoint.Count,
                dataPoint.HasSum ? dataPoint.Sum : 0,
                dataPoint.HasMin ? dataPoint.Min : null,
                dataPoint.HasMax ? dataPoint.Max : null,
                dataPoint.ExplicitBounds.ToArray(),
                dataPoint.BucketCounts.ToArray());
            points.Add(new IncomingPoint(
                _values.Attributes(dataPoint.Attributes),
                new MetricPoint(OtlpValues.Time(dataPoint.StartTimeUnixNano), OtlpValues.Time(dataPoint.TimeUnixNano), 0, histogram)));
        }
        return points.ToArray();
    }

    private static bool HasNoValue(uint flags) => (flags & (uint)DataPointFlags.NoRecordedValueMask) != 0;
}
