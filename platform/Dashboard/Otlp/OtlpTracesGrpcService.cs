using Grpc.Core;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace AspireProber.Dashboard.Otlp;

/// <summary>OTLP/gRPC <c>opentelemetry.proto.collector.trace.v1.TraceService/Export</c>: an invalid batch is INVALID_ARGUMENT, nothing of it stored.</summary>
internal sealed class OtlpTracesGrpcService(OtlpReceiver receiver) : TraceService.TraceServiceBase
{
    /// <inheritdoc />
    public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
    {
        try
        {
            return Task.FromResult(receiver.Export(request, OtlpProtocol.Grpc));
        }
        catch (OtlpValidationException ex)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, ex.Message));
        }
    }
}
