using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace AspireProber.Dashboard.Tests.Infrastructure;

/// <summary>Hand-built OTLP messages for tests that need exact (or exactly wrong) content.</summary>
public static class OtlpMessages
{
    /// <summary>A resource with service.name and service.instance.id.</summary>
    public static Resource Resource(string service, string instance) => new()
    {
        Attributes = { Attribute("service.name", service), Attribute("service.instance.id", instance) },
    };

    /// <summary>A string attribute.</summary>
    public static KeyValue Attribute(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    /// <summary>A span of <paramref name="traceId"/> (hex) named <paramref name="name"/>, lasting <paramref name="milliseconds"/> from <paramref name="start"/>.</summary>
    public static Span Span(string traceId, string spanId, string name, DateTime start, int milliseconds, string? parentId = null, bool error = false) => new()
    {
        TraceId = ByteString.CopyFrom(Convert.FromHexString(traceId)),
        SpanId = ByteString.CopyFrom(Convert.FromHexString(spanId)),
        ParentSpanId = parentId is null ? ByteString.Empty : ByteString.CopyFrom(Convert.FromHexString(parentId)),
        Name = name,
        Kind = OpenTelemetry.Proto.Trace.V1.Span.Types.SpanKind.Internal,
        StartTimeUnixNano = UnixNanos(start),
        EndTimeUnixNano = UnixNanos(start.AddMilliseconds(milliseconds)),
        Status = new Status { Code = error ? Status.Types.StatusCode.Error : Status.Types.StatusCode.Unset },
    };

    /// <summary>A trace export of <paramref name="spans"/> from one replica.</summary>
    public static ExportTraceServiceRequest Traces(string service, string instance, params Span[] spans) => new()
    {
        ResourceSpans = { new ResourceSpans { Resource = Resource(service, instance), ScopeSpans = { new ScopeSpans { Scope = new InstrumentationScope { Name = "test" }, Spans = { spans } } } } },
    };

    /// <summary>A trace id (32 hex digits) made from <paramref name="n"/>.</summary>
    public static string TraceId(int n) => n.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A span id (16 hex digits) made from <paramref name="n"/>.</summary>
    public static string SpanId(int n) => n.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Nanoseconds since the Unix epoch.</summary>
    public static ulong UnixNanos(DateTime time) => (ulong)(time - DateTime.UnixEpoch).Ticks * 100;
}
