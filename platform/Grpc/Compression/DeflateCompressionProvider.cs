using System.IO.Compression;

namespace Grpc.Net.Compression;

/// <summary>"deflate" as gRPC means it: the zlib format (RFC 1950), not raw deflate.</summary>
public sealed class DeflateCompressionProvider : ICompressionProvider
{
    /// <summary>Creates the provider with a default level.</summary>
    public DeflateCompressionProvider(CompressionLevel defaultCompressionLevel = CompressionLevel.Fastest) => DefaultCompressionLevel = defaultCompressionLevel;

    /// <summary>The level used when the caller names none.</summary>
    public CompressionLevel DefaultCompressionLevel { get; }

    /// <inheritdoc />
    public string EncodingName => "deflate";

    /// <inheritdoc />
    public Stream CreateCompressionStream(Stream output, CompressionLevel? compressionLevel) =>
        new ZLibStream(output, compressionLevel ?? DefaultCompressionLevel, leaveOpen: true);

    /// <inheritdoc />
    public Stream CreateDecompressionStream(Stream input) => new ZLibStream(input, CompressionMode.Decompress, leaveOpen: true);
}
