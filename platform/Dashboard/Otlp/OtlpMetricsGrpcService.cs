using Grpc.Core;
using OpenTelemetry.Proto.Collector.Metrics.V1;

namespace AspireProber.Dashboard.Otlp;

/// <summary>OTLP/gRPC <c>opentelemetry.proto.collector.metrics.v1.MetricsService/Export</c>: an invalid batch is INVALID_ARGUMENT, nothing of it stored.</summary>
internal sealed class OtlpMetricsGrpcService(OtlpReceiver receiver) : MetricsService.MetricsServiceBase
{
    /// <inheritdoc />
    public override Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context)
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
