using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace AspireProber.DashboardBench;

/// <summary>
/// Serialized ExportTraceServiceRequests shaped like an SDK's batches: 512 spans (the batch processor's default), 8 spans
/// per trace, 8 attributes per span, from 3 replicas. Every batch has trace ids of its own, and there are more traces in
/// all than the store keeps, so a store at its limit evicts a trace for every new one, as it would under real load.
/// </summary>
internal static class SpanBatches
{
    public const int SpansPerBatch = 512;
    private const int SpansPerTrace = 8;

    public static byte[][] Create(int count)
    {
        var batches = new byte[count][];
        var start = DateTime.UtcNow;
        var traceNumber = 0;
        for (var b = 0; b < count; b++)
        {
            var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "AspireProber.Prober", Version = "1.0.0" } };
            for (var s = 0; s < SpansPerBatch; s++)
            {
                if (s % SpansPerTrace == 0)
                {
                    traceNumber++;
                }
                var time = start.AddMilliseconds(traceNumber);
                scope.Spans.Add(new Span
                {
                    TraceId = Id(16, traceNumber),
                    SpanId = Id(8, traceNumber * SpansPerTrace + s % SpansPerTrace + 1),
                    ParentSpanId = s % SpansPerTrace == 0 ? ByteString.Empty : Id(8, traceNumber * SpansPerTrace + 1),
                    Name = s % SpansPerTrace == 0 ? "POST /prober.v1.Prober/Probe" : "GET /slow",
                    Kind = s % SpansPerTrace == 0 ? Span.Types.SpanKind.Server : Span.Types.SpanKind.Client,
                    StartTimeUnixNano = Nanos(time),
                    EndTimeUnixNano = Nanos(time.AddMilliseconds(3)),
                    Status = new Status { Code = s % 97 == 0 ? Status.Types.StatusCode.Error : Status.Types.StatusCode.Unset },
                    Attributes =
                    {
                        Text("rpc.system", "grpc"), Text("rpc.service", "prober.v1.Prober"), Text("rpc.method", "Probe"),
                        Text("server.address", "127.0.0.1"), Number("server.port", 5400), Text("http.request.method", "GET"),
                        Text("url.full", "http://127.0.0.1:5400/slow?ms=3"), Number("http.response.status_code", 200),
                    },
                });
            }
            var resource = new Resource { Attributes = { Text("service.name", "prober"), Text("service.instance.id", $"prober-{b % 3}") } };
            batches[b] = new ExportTraceServiceRequest { ResourceSpans = { new ResourceSpans { Resource = resource, ScopeSpans = { scope } } } }.ToByteArray();
        }
        return batches;
    }

    private static ByteString Id(int length, int number)
    {
        var bytes = new byte[length];
        bytes[0] = 0xab;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(length - 4), number);
        return ByteString.CopyFrom(bytes);
    }

    private static ulong Nanos(DateTime time) => (ulong)(time - DateTime.UnixEpoch).Ticks * 100;

    private static KeyValue Text(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    private static KeyValue Number(string key, long value) => new() { Key = key, Value = new AnyValue { IntValue = value } };
}
