using Grpc.Core;
using Microsoft.Extensions.Primitives;

namespace Grpc.Shared;

/// <summary>Metadata to HTTP/2 header fields and back: -bin values travel base64, the rest as ASCII.</summary>
internal static class MetadataHeaders
{
    /// <summary>The header value of one entry: unpadded base64 for binary entries, as the spec recommends.</summary>
    public static string EncodeValue(Metadata.Entry entry) =>
        entry.IsBinary ? Convert.ToBase64String(entry.ValueBytesSpan).TrimEnd('=') : entry.Value;

    /// <summary>Adds a received header to metadata, skipping protocol headers; false when a -bin value is not base64.</summary>
    public static bool TryAddHeader(Metadata metadata, string name, IEnumerable<string> values)
    {
        if (GrpcProtocolConstants.IsReservedHeader(name))
        {
            return true;
        }
        var key = name.ToLowerInvariant();
        foreach (var value in values)
        {
            if (!TryAddValue(metadata, key, value))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The same for Kestrel's header values, enumerated without boxing them.</summary>
    public static bool TryAddHeader(Metadata metadata, string name, StringValues values)
    {
        if (GrpcProtocolConstants.IsReservedHeader(name))
        {
            return true;
        }
        var key = name.ToLowerInvariant();
        foreach (var value in values)
        {
            if (!TryAddValue(metadata, key, value ?? ""))
            {
                return false;
            }
        }
        return true;
    }

    private static bool TryAddValue(Metadata metadata, string key, string value)
    {
        if (!Metadata.IsBinaryKey(key))
        {
            try
            {
                metadata.Add(new Metadata.Entry(key, value));
            }
            catch (ArgumentException)
            {
                // HTTP allows header names and values that gRPC metadata does not; such a header is not metadata.
            }
            return true;
        }
        // Several binary values of one key may arrive comma-joined in a single field.
        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!TryDecodeBase64(part, out var bytes))
            {
                return false;
            }
            metadata.Add(new Metadata.Entry(key, bytes));
        }
        return true;
    }

    /// <summary>Decodes base64 with or without padding (the spec requires accepting both).</summary>
    public static bool TryDecodeBase64(string value, out byte[] bytes)
    {
        var padded = (value.Length % 4) switch
        {
            2 => value + "==",
            3 => value + "=",
            _ => value,
        };
        try
        {
            bytes = Convert.FromBase64String(padded);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
