using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace AspireProber.ProberService;

/// <summary>Checks <c>authorization: Bearer &lt;key&gt;</c> against <c>Prober:ApiKey</c> when one is configured.</summary>
public sealed class ApiKeyCheck(IOptions<ProberOptions> options)
{
    private const string BearerPrefix = "Bearer ";

    // Comparing hashes makes the comparison constant-time in the key's length too, not only in its content.
    private readonly byte[]? _keyHash = options.Value.ApiKey is { } key ? SHA256.HashData(Encoding.UTF8.GetBytes(key)) : null;

    /// <summary>Throws UNAUTHENTICATED unless the call carries the configured key (or none is configured).</summary>
    public void Authorize(ServerCallContext context)
    {
        if (_keyHash is null)
        {
            return;
        }
        var header = context.RequestHeaders.GetValue("authorization");
        if (header is null || !header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            throw ProberErrors.MissingApiKey();
        }
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header[BearerPrefix.Length..].Trim()));
        if (!CryptographicOperations.FixedTimeEquals(presented, _keyHash))
        {
            throw ProberErrors.WrongApiKey();
        }
    }
}
