using System.Security.Cryptography;
using System.Text;
using AspireProber.Dashboard.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace AspireProber.Dashboard.Otlp;

/// <summary>
/// In <see cref="OtlpAuthMode.ApiKey"/> mode, turns away OTLP requests without the right <c>x-otlp-api-key</c> before their
/// body is read: HTTP 401 on OTLP/HTTP, UNAUTHENTICATED on OTLP/gRPC. UI requests are left to the UI's authentication.
/// </summary>
internal sealed class OtlpApiKeyCheck : IMiddleware
{
    private readonly DashboardEndpoints _endpoints;
    // Hashes make the comparison constant-time in the key's length too, not only in its content.
    private readonly byte[]? _keyHash;

    public OtlpApiKeyCheck(DashboardEndpoints endpoints, IOptions<DashboardOptions> options)
    {
        _endpoints = endpoints;
        var otlp = options.Value.Otlp;
        if (otlp.AuthMode == OtlpAuthMode.ApiKey)
        {
            if (string.IsNullOrEmpty(otlp.PrimaryApiKey))
            {
                throw new InvalidOperationException("Dashboard:Otlp:AuthMode is ApiKey but Dashboard:Otlp:PrimaryApiKey is empty: set the key or use AuthMode Unsecured.");
            }
            _keyHash = SHA256.HashData(Encoding.UTF8.GetBytes(otlp.PrimaryApiKey));
        }
    }

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var kind = _endpoints.KindOfPort(context.Connection.LocalPort);
        if (_keyHash is null || kind is not (DashboardEndpointKind.OtlpGrpc or DashboardEndpointKind.OtlpHttp))
        {
            return next(context);
        }
        var presented = context.Request.Headers[OtlpOptions.ApiKeyHeaderName].ToString();
        if (CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _keyHash))
        {
            return next(context);
        }
        var message = presented.Length == 0
            ? $"The {OtlpOptions.ApiKeyHeaderName} header is missing: this dashboard requires its OTLP API key."
            : $"The {OtlpOptions.ApiKeyHeaderName} header does not match this dashboard's OTLP API key.";
        if (kind == DashboardEndpointKind.OtlpHttp)
        {
            return OtlpHttpEndpoints.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, Grpc.Core.StatusCode.Unauthenticated, message);
        }
        // A trailers-only gRPC response (the status travels in the one HEADERS frame). The messages above are printable
        // ASCII without '%', so grpc-message needs no percent-encoding.
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-status"] = ((int)Grpc.Core.StatusCode.Unauthenticated).ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers["grpc-message"] = message;
        return Task.CompletedTask;
    }
}
