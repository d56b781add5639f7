namespace Grpc.Net.Compression;

/// <summary>The providers a server or channel knows by default, and lookups by encoding name.</summary>
public static class CompressionProviders
{
    /// <summary>gzip and deflate.</summary>
    public static IReadOnlyList<ICompressionProvider> Default { get; } = [new GzipCompressionProvider(), new DeflateCompressionProvider()];

    /// <summary>The provider for an encoding name, or null (identity and unknown names alike).</summary>
    internal static ICompressionProvider? Find(IReadOnlyList<ICompressionProvider> providers, string? encoding)
    {
        if (encoding is null)
        {
            return null;
        }
        foreach (var provider in providers)
        {
            if (string.Equals(provider.EncodingName, encoding, StringComparison.OrdinalIgnoreCase))
            {
                return provider;
            }
        }
        return null;
    }

    /// <summary>The grpc-accept-encoding value advertising these providers.</summary>
    internal static string AcceptEncodingValue(IReadOnlyList<ICompressionProvider> providers) =>
        string.Join(",", providers.Select(p => p.EncodingName).Prepend(Grpc.Shared.GrpcProtocolConstants.IdentityEncoding));
}
