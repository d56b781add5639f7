using Grpc.AspNetCore.Server.Internal;
using Microsoft.AspNetCore.Http;

namespace Grpc.Core;

/// <summary>Access to the HTTP request behind a server call.</summary>
public static class GrpcServerCallContextExtensions
{
    /// <summary>The HttpContext of the call (connection, features, request services).</summary>
    public static HttpContext GetHttpContext(this ServerCallContext context) =>
        context is HttpContextServerCallContext httpContextCall
            ? httpContextCall.HttpContext
            : throw new InvalidOperationException("This call context is not backed by an HttpContext.");
}
