using Grpc.Core;

namespace Grpc.Shared;

/// <summary>The names and values of gRPC over HTTP/2 (grpc/grpc doc/PROTOCOL-HTTP2.md), in one place.</summary>
internal static class GrpcProtocolConstants
{
    public const string GrpcContentType = "application/grpc";
    public const string TimeoutHeader = "grpc-timeout";
    public const string MessageEncodingHeader = "grpc-encoding";
    public const string MessageAcceptEncodingHeader = "grpc-accept-encoding";
    public const string StatusTrailer = "grpc-status";
    public const string MessageTrailer = "grpc-message";
    public const string StatusDetailsTrailer = "grpc-status-details-bin";
    public const string TEHeader = "te";
    public const string TEHeaderValue = "trailers";
    public const string UserAgentHeader = "user-agent";
    public const string TraceParentHeader = "traceparent";
    public const string TraceStateHeader = "tracestate";

    /// <summary>
    /// The request header grpc-dotnet's client reads to pick the encoding of request messages; kept for
    /// compatibility (it is never sent on the wire: the client turns it into grpc-encoding).
    /// </summary>
    public const string RequestEncodingMetadataKey = "grpc-internal-encoding-request";

    public const string IdentityEncoding = "identity";

    /// <summary>Length-prefixed message header: 1 byte compressed flag + 4 bytes big-endian length.</summary>
    public const int MessageHeaderSize = 5;

    /// <summary>grpc-dotnet's and the spec's default limit on a received message: 4 MiB.</summary>
    public const int DefaultMaxReceiveMessageSize = 4 * 1024 * 1024;

    /// <summary>HTTP/2 error codes used when resetting a stream (RFC 9113 §7).</summary>
    public const int Http2ErrorNoError = 0x0;
    public const int Http2ErrorInternal = 0x2;
    public const int Http2ErrorCancel = 0x8;

    /// <summary>Headers that carry protocol state, never surfaced as call metadata.</summary>
    public static bool IsReservedHeader(string name) =>
        name.Length == 0
        || name[0] == ':'
        || name.Equals("content-type", StringComparison.OrdinalIgnoreCase)
        || name.Equals("content-length", StringComparison.OrdinalIgnoreCase)
        || name.Equals("host", StringComparison.OrdinalIgnoreCase)
        || name.Equals(TEHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals(TimeoutHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals(MessageEncodingHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals(MessageAcceptEncodingHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals(StatusTrailer, StringComparison.OrdinalIgnoreCase)
        || name.Equals(MessageTrailer, StringComparison.OrdinalIgnoreCase);

    /// <summary>True for application/grpc and its +suffix forms (e.g. application/grpc+proto).</summary>
    public static bool IsGrpcContentType(string? contentType)
    {
        if (contentType is null || !contentType.StartsWith(GrpcContentType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        if (contentType.Length == GrpcContentType.Length)
        {
            return true;
        }
        var next = contentType[GrpcContentType.Length];
        return next is '+' or ';';
    }

    /// <summary>Cached statuses for failures that happen on every bad call of a kind, so they cost no allocation.</summary>
    public static class Statuses
    {
        public static readonly Status UnimplementedService = new(StatusCode.Unimplemented, "Service is unimplemented.");
        public static readonly Status UnimplementedMethod = new(StatusCode.Unimplemented, "Method is unimplemented.");
        public static readonly Status DeadlineExceeded = new(StatusCode.DeadlineExceeded, "Deadline Exceeded");
        public static readonly Status CancelledByClient = new(StatusCode.Cancelled, "Call canceled by the client.");
        public static readonly Status UnknownHandlerError = new(StatusCode.Unknown, "Exception was thrown by handler.");
    }
}
