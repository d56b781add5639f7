using Grpc.Core;
using Grpc.Shared;

namespace AspireProber.Grpc.Tests.Shared;

/// <summary>grpc/grpc doc/http-grpc-status-mapping.md.</summary>
public sealed class HttpStatusMappingTests
{
    [Theory]
    [InlineData(400, StatusCode.Internal)]
    [InlineData(401, StatusCode.Unauthenticated)]
    [InlineData(403, StatusCode.PermissionDenied)]
    [InlineData(404, StatusCode.Unimplemented)]
    [InlineData(429, StatusCode.Unavailable)]
    [InlineData(502, StatusCode.Unavailable)]
    [InlineData(503, StatusCode.Unavailable)]
    [InlineData(504, StatusCode.Unavailable)]
    [InlineData(500, StatusCode.Unknown)]
    [InlineData(302, StatusCode.Unknown)]
    public void Maps_http_status_to_grpc_code(int httpStatus, StatusCode expected) =>
        Assert.Equal(expected, HttpStatusMapping.ToStatusCode(httpStatus));
}
