using Grpc.Core;
using OpenTelemetry.Proto.Collector.Logs.V1;

namespace AspireProber.Dashboard.Otlp;

/// <summary>OTLP/gRPC <c>opentelemetry.proto.collector.logs.v1.LogsService/Export</c>: an invalid batch is INVALID_ARGUMENT, nothing of it stored.</summary>
internal sealed class OtlpLogsGrpcService(OtlpReceiver receiver) : LogsService.LogsServiceBase
{
    /// <inheritdoc />
    public override Task<ExportLogsServiceResponse> Export(ExportLogsServiceRequest request, ServerCallContext context)
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
