using System.Security.Cryptography;
using System.Text;

namespace AspireProber.ServiceDefaults;

/// <summary>
/// Bounds the length of a value that came from a caller before it goes into a metric label, a span attribute or a log
/// field: one request must not make every scrape, span and log line megabytes long.
/// </summary>
public static class TelemetryValues
{
    /// <summary>The longest value telemetry takes; longer ones are cut and end in a hash of the whole value.</summary>
    public const int MaxLength = 256;

    // "~" and 16 hex digits (64 bits of SHA-256): two long values that share their first 239 characters stay distinct.
    private const int HashSuffixLength = 17;

    /// <summary>
    /// <paramref name="value"/> itself when it is at most <see cref="MaxLength"/> characters; otherwise its start and a
    /// hash of the whole, <see cref="MaxLength"/> characters in all. The same value always gives the same result.
    /// </summary>
    public static string Bound(string value)
    {
        if (value.Length <= MaxLength)
        {
            return value;
        }
        var keep = MaxLength - HashSuffixLength;
        if (char.IsHighSurrogate(value[keep - 1]))
        {
            keep--; // never split a surrogate pair: the cut value must still be valid UTF-16
        }
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(value));
        return $"{value.AsSpan(0, keep)}~{Convert.ToHexStringLower(hash.AsSpan(0, 8))}";
    }
}
