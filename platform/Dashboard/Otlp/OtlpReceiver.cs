using AspireProber.Dashboard.Telemetry;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace AspireProber.Dashboard.Otlp;

/// <summary>
/// What both OTLP protocols do with a decoded request: validate and convert all of it, then store it in one step.
/// Throws <see cref="OtlpValidationException"/> (nothing stored) when any item is invalid.
/// </summary>
public sealed partial class OtlpReceiver(TelemetryStore store, ILogger<OtlpReceiver> logger)
{
    private static readonly ExportTraceServiceResponse TraceAccepted = new();
    private static readonly ExportMetricsServiceResponse MetricsAccepted = new();
    private static readonly ExportLogsServiceResponse LogsAccepted = new();

    private readonly OtlpDecoder _decoder = new(store.Limits);

    /// <summary>Stores the spans of a trace export.</summary>
    public ExportTraceServiceResponse Export(ExportTraceServiceRequest request, string protocol) =>
        Store(() => _decoder.Decode(request), "traces", protocol, TraceAccepted);

    /// <summary>Stores the points of a metrics export.</summary>
    public ExportMetricsServiceResponse Export(ExportMetricsServiceRequest request, string protocol) =>
        Store(() => _decoder.Decode(request), "metrics", protocol, MetricsAccepted);

    /// <summary>Stores the records of a logs export.</summary>
    public ExportLogsServiceResponse Export(ExportLogsServiceRequest request, string protocol) =>
        Store(() => _decoder.Decode(request), "logs", protocol, LogsAccepted);

    private TResponse Store<TResponse>(Func<TelemetryBatch> decode, string signal, string protocol, TResponse accepted)
    {
        TelemetryBatch batch;
        try
        {
            batch = decode();
        }
        catch (OtlpValidationException ex)
        {
            LogRejected(signal, protocol, ex.Message);
            throw;
        }
        store.Add(batch);
        return accepted;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected an OTLP {Signal} export over {Protocol}: {Reason}")]
    private partial void LogRejected(string signal, string protocol, string reason);
}
