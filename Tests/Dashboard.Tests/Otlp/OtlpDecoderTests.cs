using AspireProber.Dashboard.Otlp;
using AspireProber.Dashboard.Telemetry;
using AspireProber.Dashboard.Tests.Infrastructure;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace AspireProber.Dashboard.Tests.Otlp;

/// <summary>OTLP messages to the store's model: values, ids, limits, and the rules whose breach rejects a batch.</summary>
public sealed class OtlpDecoderTests
{
    private static readonly DateTime Start = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    [Fact]
    public void Attribute_values_of_every_kind_become_text()
    {
        var span = OtlpMessages.Span(OtlpMessages.TraceId(1), OtlpMessages.SpanId(1), "s", Start, 5);
        span.Attributes.Add(new KeyValue { Key = "b", Value = new AnyValue { BoolValue = true } });
        span.Attributes.Add(new KeyValue { Key = "i", Value = new AnyValue { IntValue = -42 } });
        span.Attributes.Add(new KeyValue { Key = "d", Value = new AnyValue { DoubleValue = 1.5 } });
        span.Attributes.Add(new KeyValue { Key = "bytes", Value = new AnyValue { BytesValue = ByteString.CopyFrom(1, 2, 3) } });
        span.Attributes.Add(new KeyValue
        {
            Key = "list",
            Value = new AnyValue { ArrayValue = new ArrayValue { Values = { new AnyValue { StringValue = "x" }, new AnyValue { IntValue = 2 } } } },
        });
        span.Attributes.Add(new KeyValue
        {
            Key = "map",
            Value = new AnyValue { KvlistValue = new KeyValueList { Values = { OtlpMessages.Attribute("k", "v") } } },
        });
        span.Attributes.Add(new KeyValue { Key = "empty" });

        var decoded = Assert.Single(new OtlpDecoder(new TelemetryLimits()).Decode(OtlpMessages.Traces("svc", "svc-0", span)).Spans);

        Assert.Equal(
            [new("b", "true"), new("i", "-42"), new("d", "1.5"), new("bytes", "AQID"), new("list", "[\"x\",2]"), new("map", "{\"k\":\"v\"}"), new("empty", "")],
            decoded.Attributes);
        Assert.Equal((OtlpMessages.TraceId(1), OtlpMessages.SpanId(1), Start, Start.AddMilliseconds(5)), (decoded.TraceId, decoded.SpanId, decoded.StartTime, decoded.EndTime));
    }

    [Fact]
    public void Missing_service_name_is_unknown_service_and_missing_instance_is_empty()
    {
        var request = OtlpMessages.Traces("x", "y", OtlpMessages.Span(OtlpMessages.TraceId(1), OtlpMessages.SpanId(1), "s", Start, 1));
        request.ResourceSpans[0].Resource = null;

        var batch = new OtlpDecoder(new TelemetryLimits()).Decode(request);

        Assert.Equal(new ResourceKey("unknown_service", ""), Assert.Single(batch.Resources).Key);
    }

    [Fact]
    public void Attribute_count_value_length_and_event_count_are_cut_to_the_limits()
    {
        var span = OtlpMessages.Span(OtlpMessages.TraceId(1), OtlpMessages.SpanId(1), "s", Start, 1);
        for (var i = 0; i < 5; i++)
        {
            span.Attributes.Add(OtlpMessages.Attribute("a" + i, new string('x', 10)));
            span.Events.Add(new Span.Types.Event { Name = "e" + i });
        }
        var limits = new TelemetryLimits { MaxAttributeCount = 3, MaxAttributeLength = 4, MaxSpanEventCount = 2 };

        var decoded = Assert.Single(new OtlpDecoder(limits).Decode(OtlpMessages.Traces("svc", "0", span)).Spans);

        Assert.Equal([new("a0", "xxxx"), new("a1", "xxxx"), new("a2", "xxxx")], decoded.Attributes);
        Assert.Equal(["e0", "e1"], decoded.Events.Select(e => e.Name));
    }

    [Theory]
    [InlineData("trace_id", 5, "resource_spans[0].scope_spans[0].spans[1].trace_id has 5 bytes; it must have 16.")]
    [InlineData("span_id", 0, "resource_spans[0].scope_spans[0].spans[1].span_id has 0 bytes; it must have 8.")]
    [InlineData("parent_span_id", 3, "resource_spans[0].scope_spans[0].spans[1].parent_span_id has 3 bytes; it must have 8.")]
    public void A_span_with_a_malformed_id_rejects_the_batch_naming_the_field(string field, int length, string expected)
    {
        var bad = OtlpMessages.Span(OtlpMessages.TraceId(2), OtlpMessages.SpanId(2), "bad", Start, 1);
        var bytes = ByteString.CopyFrom(new byte[length].Select(_ => (byte)1).ToArray());
        switch (field)
        {
            case "trace_id": bad.TraceId = bytes; break;
            case "span_id": bad.SpanId = bytes; break;
            default: bad.ParentSpanId = bytes; break;
        }
        var request = OtlpMessages.Traces("svc", "0", OtlpMessages.Span(OtlpMessages.TraceId(1), OtlpMessages.SpanId(1), "good", Start, 1), bad);

        var error = Assert.Throws<OtlpValidationException>(() => new OtlpDecoder(new TelemetryLimits()).Decode(request));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void An_all_zero_trace_id_is_invalid()
    {
        var span = OtlpMessages.Span(OtlpMessages.TraceId(0), OtlpMessages.SpanId(1), "s", Start, 1);

        var error = Assert.Throws<OtlpValidationException>(() => new OtlpDecoder(new TelemetryLimits()).Decode(OtlpMessages.Traces("svc", "0", span)));

        Assert.Contains("all zeros", error.Message);
    }

    [Fact]
    public void Log_records_keep_severity_body_trace_context_and_fall_back_to_the_observed_time()
    {
        var record = new LogRecord
        {
            ObservedTimeUnixNano = OtlpMessages.UnixNanos(Start),
            SeverityNumber = SeverityNumber.Error,
            SeverityText = "Error",
            Body = new AnyValue { StringValue = "boom" },
            TraceId = ByteString.CopyFrom(Convert.FromHexString(OtlpMessages.TraceId(7))),
            SpanId = ByteString.CopyFrom(Convert.FromHexString(OtlpMessages.SpanId(8))),
        };
        var request = new ExportLogsServiceRequest
        {
            ResourceLogs = { new ResourceLogs { Resource = OtlpMessages.Resource("svc", "svc-1"), ScopeLogs = { new ScopeLogs { Scope = new InstrumentationScope { Name = "Cat" }, LogRecords = { record } } } } },
        };

        var log = Assert.Single(new OtlpDecoder(new TelemetryLimits()).Decode(request).Logs);

        Assert.Equal((Start, 17, "Error", "boom", "Cat"), (log.Time, log.Severity, log.SeverityText, log.Body, log.Scope));
        Assert.Equal((OtlpMessages.TraceId(7), OtlpMessages.SpanId(8)), (log.TraceId, log.SpanId));
    }

    [Fact]
    public void Sums_say_monotonic_or_not_and_points_without_a_recorded_value_are_skipped()
    {
        var request = Metrics(
            new Metric { Name = "c", Sum = new Sum { IsMonotonic = true, AggregationTemporality = AggregationTemporality.Cumulative, DataPoints = { Number(1, 10), Number(2, 20, noValue: true) } } },
            new Metric { Name = "u", Sum = new Sum { IsMonotonic = false, AggregationTemporality = AggregationTemporality.Delta, DataPoints = { Number(1, -3) } } },
            new Metric { Name = "g", Gauge = new Gauge { DataPoints = { new NumberDataPoint { TimeUnixNano = OtlpMessages.UnixNanos(Start), AsInt = 4 } } } },
            new Metric { Name = "s", Summary = new Summary() });

        var metrics = new OtlpDecoder(new TelemetryLimits()).Decode(request).Metrics;

        Assert.Equal([("c", MetricKind.Counter, false), ("u", MetricKind.UpDownCounter, true), ("g", MetricKind.Gauge, false)], metrics.Select(m => (m.Name, m.Kind, m.IsDelta)));
        Assert.Equal([10.0], metrics[0].Points.Select(p => p.Point.Value));
        Assert.Equal([4.0], metrics[2].Points.Select(p => p.Point.Value));
    }

    [Fact]
    public void A_sum_without_temporality_or_a_histogram_with_wrong_bucket_counts_rejects_the_batch()
    {
        var noTemporality = Metrics(new Metric { Name = "c", Sum = new Sum { DataPoints = { Number(1, 1) } } });
        var badBuckets = Metrics(new Metric
        {
            Name = "h",
            Histogram = new Histogram
            {
                AggregationTemporality = AggregationTemporality.Cumulative,
                DataPoints = { new HistogramDataPoint { Count = 1, ExplicitBounds = { 1, 2 }, BucketCounts = { 1, 0 } } },
            },
        });
        var decoder = new OtlpDecoder(new TelemetryLimits());

        Assert.Equal(
            "resource_metrics[0].scope_metrics[0].metrics[0].sum.aggregation_temporality is Unspecified; it must be DELTA or CUMULATIVE.",
            Assert.Throws<OtlpValidationException>(() => decoder.Decode(noTemporality)).Message);
        Assert.Equal(
            "resource_metrics[0].scope_metrics[0].metrics[0].histogram.data_points[0] has 2 bucket_counts for 2 explicit_bounds; it needs one more count than bounds.",
            Assert.Throws<OtlpValidationException>(() => decoder.Decode(badBuckets)).Message);
    }

    private static NumberDataPoint Number(int second, double value, bool noValue = false) => new()
    {
        StartTimeUnixNano = OtlpMessages.UnixNanos(Start),
        TimeUnixNano = OtlpMessages.UnixNanos(Start.AddSeconds(second)),
        AsDouble = value,
        Flags = noValue ? (uint)DataPointFlags.NoRecordedValueMask : 0,
    };

    private static ExportMetricsServiceRequest Metrics(params Metric[] metrics) => new()
    {
        ResourceMetrics = { new ResourceMetrics { Resource = OtlpMessages.Resource("svc", "0"), ScopeMetrics = { new ScopeMetrics { Metrics = { metrics } } } } },
    };
}
