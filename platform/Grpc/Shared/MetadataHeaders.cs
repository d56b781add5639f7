using Grpc.Core;

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
        var binary = Metadata.IsBinaryKey(key);
        foreach (var value in values)
        {
            if (!binary)
            {
                metadata.Add(new Metadata.Entry(key, value));
                continue;
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
