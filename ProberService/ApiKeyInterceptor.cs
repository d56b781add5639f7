using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AspireProber.ProberService;

/// <summary>
/// Lets a call through only with <c>authorization: Bearer &lt;key&gt;</c> matching <c>Prober:ApiKey</c>, when one is
/// configured; UNAUTHENTICATED otherwise. Registered for prober.v1.Prober only, so health and reflection stay open.
/// </summary>
public sealed class ApiKeyInterceptor(IOptions<ProberOptions> options, ILogger<ApiKeyInterceptor> logger) : Interceptor
{
    private const string BearerPrefix = "Bearer ";

    // Comparing hashes makes the comparison constant-time in the key's length too, not only in its content.
    private readonly byte[]? _keyHash = options.Value.ApiKey is { } key ? SHA256.HashData(Encoding.UTF8.GetBytes(key)) : null;

    /// <inheritdoc />
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(request, context);
        return continuation(request, context);
    }

    /// <inheritdoc />
    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(request, context);
        return continuation(request, responseStream, context);
    }

    private void Authorize(object request, ServerCallContext context)
    {
        if (_keyHash is null)
        {
            return;
        }
        var header = context.RequestHeaders.GetValue("authorization");
        var error = header is null || !header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)
            ? ProberErrors.MissingApiKey()
            : CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(header[BearerPrefix.Length..].Trim())), _keyHash)
                ? null
                : ProberErrors.WrongApiKey();
        if (error is not null)
        {
            ProberLog.ProbeRefused(logger, request, error);
            throw error;
        }
    }
}
