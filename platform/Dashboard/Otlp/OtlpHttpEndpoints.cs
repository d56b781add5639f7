using System.IO.Compression;
using AspireProber.Dashboard.Hosting;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using RpcStatus = Google.Rpc.Status;

namespace AspireProber.Dashboard.Otlp;

/// <summary>
/// OTLP/HTTP: <c>POST /v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c> with protobuf bodies (gzip allowed), answered with the
/// Export*ServiceResponse message; errors carry a google.rpc.Status message as the OTLP specification asks. JSON bodies get
/// 415: the exporters this dashboard serves all speak protobuf.
/// </summary>
internal static class OtlpHttpEndpoints
{
    /// <summary>Maps the three routes, answering only on the OTLP/HTTP endpoint.</summary>
    public static void MapOtlpHttp(this IEndpointRouteBuilder endpoints)
    {
        var receiver = endpoints.ServiceProvider.GetRequiredService<OtlpReceiver>();
        endpoints.MapPost("/v1/traces", context => HandleAsync(context, ExportTraceServiceRequest.Parser, request => receiver.Export(request, OtlpProtocol.HttpProtobuf)))
            .OnlyOn(DashboardEndpointKind.OtlpHttp);
        endpoints.MapPost("/v1/metrics", context => HandleAsync(context, ExportMetricsServiceRequest.Parser, request => receiver.Export(request, OtlpProtocol.HttpProtobuf)))
            .OnlyOn(DashboardEndpointKind.OtlpHttp);
        endpoints.MapPost("/v1/logs", context => HandleAsync(context, ExportLogsServiceRequest.Parser, request => receiver.Export(request, OtlpProtocol.HttpProtobuf)))
            .OnlyOn(DashboardEndpointKind.OtlpHttp);
    }

    private static async Task HandleAsync<TRequest>(HttpContext context, MessageParser<TRequest> parser, Func<TRequest, IMessage> export)
        where TRequest : IMessage<TRequest>
    {
        var request = context.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals(OtlpProtocol.ProtobufContentType, StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            await context.Response.WriteAsync(
                $"Content-Type '{request.ContentType}' is not supported: send OTLP protobuf as '{OtlpProtocol.ProtobufContentType}' (OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf).",
                context.RequestAborted);
            return;
        }

        TRequest message;
        try
        {
            message = await ReadAsync(request, parser, context.RequestAborted);
        }
        catch (InvalidProtocolBufferException ex)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, Grpc.Core.StatusCode.InvalidArgument, $"The body is not a valid {typeof(TRequest).Name}: {ex.Message}");
            return;
        }
        catch (InvalidDataException ex)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, Grpc.Core.StatusCode.InvalidArgument, $"The gzip body cannot be decompressed: {ex.Message}");
            return;
        }
        catch (NotSupportedException ex)
        {
            await WriteErrorAsync(context, StatusCodes.Status415UnsupportedMediaType, Grpc.Core.StatusCode.InvalidArgument, ex.Message);
            return;
        }

        IMessage response;
        try
        {
            response = export(message);
        }
        catch (OtlpValidationException ex)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, Grpc.Core.StatusCode.InvalidArgument, ex.Message);
            return;
        }
        await WriteAsync(context, StatusCodes.Status200OK, response);
    }

    private static async Task<TRequest> ReadAsync<TRequest>(HttpRequest request, MessageParser<TRequest> parser, CancellationToken cancellationToken)
        where TRequest : IMessage<TRequest>
    {
        var encoding = request.Headers.ContentEncoding.ToString();
        if (encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            if (!encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase))
            {
                throw new NotSupportedException($"Content-Encoding '{encoding}' is not supported: send gzip or no encoding.");
            }
            await using var gzip = new GZipStream(request.Body, CompressionMode.Decompress);
            using var inflated = new MemoryStream();
            await gzip.CopyToAsync(inflated, cancellationToken);
            return parser.ParseFrom(inflated.GetBuffer(), 0, (int)inflated.Length);
        }

        // The whole body is buffered by the pipe and parsed in place, without another copy.
        var reader = request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            if (read.IsCompleted)
            {
                try
                {
                    return parser.ParseFrom(read.Buffer);
                }
                finally
                {
                    reader.AdvanceTo(read.Buffer.End);
                }
            }
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    /// <summary>Answers with a google.rpc.Status carrying <paramref name="code"/> and <paramref name="message"/>.</summary>
    internal static Task WriteErrorAsync(HttpContext context, int httpStatus, Grpc.Core.StatusCode code, string message) =>
        WriteAsync(context, httpStatus, new RpcStatus { Code = (int)code, Message = message });

    private static async Task WriteAsync(HttpContext context, int httpStatus, IMessage message)
    {
        var response = context.Response;
        response.StatusCode = httpStatus;
        response.ContentType = OtlpProtocol.ProtobufContentType;
        // A byte array, not a span: google.rpc.Status (Google.Api.CommonProtos) predates span-based serialization.
        var body = message.ToByteArray();
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted);
    }
}
