using Grpc.Core;

namespace Grpc.Shared;

/// <summary>
/// The gRPC code for a response that is not a gRPC response (grpc/grpc doc/http-grpc-status-mapping.md), e.g. an
/// HTTP proxy's error page or a server that is not gRPC at all.
/// </summary>
internal static class HttpStatusMapping
{
    public static StatusCode ToStatusCode(int httpStatus) => httpStatus switch
    {
        400 => StatusCode.Internal,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.Unimplemented,
        429 or 502 or 503 or 504 => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };
}
