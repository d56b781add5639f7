using System.Security.Cryptography;
using System.Text;

namespace AspireProber.Dashboard.Authentication;

/// <summary>The browser token in force for this run, and the only place that compares a presented token with it.</summary>
internal sealed class BrowserToken
{
    private readonly byte[] _hash;

    public BrowserToken(FrontendOptions options)
    {
        Mode = options.AuthMode;
        Generated = Mode == FrontendAuthMode.BrowserToken && string.IsNullOrEmpty(options.BrowserToken);
        Value = Generated ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) : options.BrowserToken ?? "";
        _hash = SHA256.HashData(Encoding.UTF8.GetBytes(Value));
        Fingerprint = Convert.ToHexStringLower(_hash.AsSpan(0, 8));
    }

    /// <summary>BrowserToken or Unsecured.</summary>
    public FrontendAuthMode Mode { get; }

    /// <summary>True when no token was configured and this run made one up.</summary>
    public bool Generated { get; }

    /// <summary>The token itself; empty in Unsecured mode.</summary>
    public string Value { get; }

    /// <summary>
    /// A short hash of the token, stored in the cookie so that a cookie issued under another token (an earlier run
    /// with persisted data-protection keys) stops working when the token changes.
    /// </summary>
    public string Fingerprint { get; }

    /// <summary>Whether <paramref name="presented"/> is the token. Hashing first makes the comparison take the same time whatever the input's length or content.</summary>
    public bool Matches(string? presented) =>
        Mode == FrontendAuthMode.BrowserToken && presented is not null
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _hash);

    /// <summary>The login URL for a UI served at <paramref name="uiBaseUrl"/>.</summary>
    public string LoginUrl(string uiBaseUrl) => uiBaseUrl.TrimEnd('/') + "/login?t=" + Uri.EscapeDataString(Value);
}
