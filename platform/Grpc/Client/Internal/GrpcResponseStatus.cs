using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Shared;

namespace Grpc.Net.Client.Internal;

/// <summary>
/// Turns what came back over HTTP into a gRPC status: the grpc-status/grpc-message of trailers (or of the headers of a
/// Trailers-Only response), a synthesized status for responses that are not gRPC at all, and a status for transport
/// failures (grpc/grpc doc/PROTOCOL-HTTP2.md, doc/http-grpc-status-mapping.md).
/// </summary>
internal static class GrpcResponseStatus
{
    /// <summary>
    /// Checks the response headers. Returns null for a gRPC response whose messages follow, or the call's status when
    /// the response ends here: a Trailers-Only response (then <paramref name="trailers"/> holds its metadata) or a
    /// response that is not gRPC.
    /// </summary>
    public static Status? ValidateHeaders(HttpResponseMessage response, out Metadata? trailers)
    {
        trailers = null;
        // An explicit grpc-status in the headers is a Trailers-Only response, and it wins over every other check.
        if (TryGetStatus(response.Headers, out var status))
        {
            trailers = ReadMetadata(response.Headers);
            return status;
        }
        var httpStatus = (int)response.StatusCode;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return new Status(HttpStatusMapping.ToStatusCode(httpStatus),
                $"Bad gRPC response. HTTP status code: {httpStatus} ({response.ReasonPhrase ?? response.StatusCode.ToString()}).");
        }
        if (response.Version < HttpVersion.Version20)
        {
            return new Status(StatusCode.Internal, $"Bad gRPC response. The response came over HTTP/{response.Version}, gRPC needs HTTP/2.");
        }
        var contentType = response.Content.Headers.ContentType?.ToString();
        if (!GrpcProtocolConstants.IsGrpcContentType(contentType))
        {
            return new Status(HttpStatusMapping.ToStatusCode(httpStatus),
                $"Bad gRPC response. HTTP status code: {httpStatus}, content-type: '{contentType ?? "(none)"}' (expected application/grpc).");
        }
        return null;
    }

    /// <summary>The status in the trailers of a response read to its end, with the trailers as metadata.</summary>
    public static Status FromTrailers(HttpResponseMessage response, out Metadata trailers)
    {
        trailers = ReadMetadata(response.TrailingHeaders);
        return TryGetStatus(response.TrailingHeaders, out var status)
            ? status
            : new Status(StatusCode.Internal, "No grpc-status found on response.");
    }

    /// <summary>The response headers as metadata (protocol headers left out).</summary>
    public static Metadata ReadMetadata(HttpHeaders headers)
    {
        var metadata = new Metadata();
        foreach (var header in headers)
        {
            // A -bin value that is not base64 is dropped rather than failing the call.
            MetadataHeaders.TryAddHeader(metadata, header.Key, header.Value);
        }
        return metadata;
    }

    /// <summary>True when the request never reached the server: the connection could not be made, so another address is safe.</summary>
    public static bool IsConnectFailure(Exception exception) => exception switch
    {
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } => true,
        HttpRequestException { InnerException: SocketException } => true,
        _ => false,
    };

    /// <summary>A short reason for a connection failure, e.g. "Connection refused".</summary>
    public static string DescribeConnectFailure(Exception exception) =>
        exception.InnerException is SocketException socket ? socket.Message : exception.Message;

    /// <summary>The status of a call whose request or response failed in the transport (the call was not cancelled locally).</summary>
    public static Status FromTransportException(Exception exception, string operation)
    {
        switch (exception)
        {
            case RpcException rpc:
                return rpc.Status;
            case HttpProtocolException or HttpRequestException { InnerException: HttpProtocolException }:
                // The peer reset the stream or closed the connection with an HTTP/2 error code: map it (PROTOCOL-HTTP2.md, "Errors").
                var protocol = exception as HttpProtocolException ?? (HttpProtocolException)exception.InnerException!;
                return new Status(FromHttp2ErrorCode(protocol.ErrorCode),
                    $"{operation}: the server ended the stream with HTTP/2 error {Http2ErrorName(protocol.ErrorCode)}. {exception.Message}", exception);
            case HttpRequestException or IOException or SocketException:
                return new Status(StatusCode.Unavailable, $"{operation}: {exception.GetType().Name}: {exception.Message}", exception);
            case OperationCanceledException:
                // Not the call's cancellation: a caller-supplied HttpClient's Timeout, or the channel was disposed.
                return new Status(StatusCode.Unavailable, $"{operation}: the HTTP request was cancelled outside the call (HttpClient timeout or disposed channel).", exception);
            default:
                return new Status(StatusCode.Internal, $"{operation}: {exception.GetType().Name}: {exception.Message}", exception);
        }
    }

    private static StatusCode FromHttp2ErrorCode(long errorCode) => errorCode switch
    {
        0x7 => StatusCode.Unavailable,          // REFUSED_STREAM: nothing was processed.
        0x8 => StatusCode.Cancelled,            // CANCEL
        0xB => StatusCode.ResourceExhausted,    // ENHANCE_YOUR_CALM
        0xC => StatusCode.PermissionDenied,     // INADEQUATE_SECURITY
        _ => StatusCode.Internal,               // NO_ERROR without a status, PROTOCOL_ERROR, INTERNAL_ERROR, HTTP_1_1_REQUIRED, ...
    };

    private static string Http2ErrorName(long errorCode) => errorCode switch
    {
        0x0 => "NO_ERROR",
        0x1 => "PROTOCOL_ERROR",
        0x2 => "INTERNAL_ERROR",
        0x3 => "FLOW_CONTROL_ERROR",
        0x7 => "REFUSED_STREAM",
        0x8 => "CANCEL",
        0xB => "ENHANCE_YOUR_CALM",
        0xC => "INADEQUATE_SECURITY",
        0xD => "HTTP_1_1_REQUIRED",
        _ => "0x" + errorCode.ToString("X", CultureInfo.InvariantCulture),
    };

    private static bool TryGetStatus(HttpHeaders headers, out Status status)
    {
        status = default;
        if (!headers.TryGetValues(GrpcProtocolConstants.StatusTrailer, out var values))
        {
            return false;
        }
        var value = values.FirstOrDefault();
        var detail = headers.TryGetValues(GrpcProtocolConstants.MessageTrailer, out var messages)
            ? PercentEncoding.Decode(messages.FirstOrDefault() ?? "")
            : "";
        status = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            ? new Status((StatusCode)code, detail)
            : new Status(StatusCode.Unknown, $"Unexpected grpc-status value '{value}'. {detail}".TrimEnd());
        return true;
    }
}
