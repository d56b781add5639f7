using System.IO.Compression;

namespace Grpc.Net.Compression;

/// <summary>gzip (RFC 1952), the encoding every gRPC implementation supports.</summary>
public sealed class GzipCompressionProvider : ICompressionProvider
{
    /// <summary>Creates the provider with a default level.</summary>
    public GzipCompressionProvider(CompressionLevel defaultCompressionLevel = CompressionLevel.Fastest) => DefaultCompressionLevel = defaultCompressionLevel;

    /// <summary>The level used when the caller names none.</summary>
    public CompressionLevel DefaultCompressionLevel { get; }

    /// <inheritdoc />
    public string EncodingName => "gzip";

    /// <inheritdoc />
    public Stream CreateCompressionStream(Stream output, CompressionLevel? compressionLevel) =>
        new GZipStream(output, compressionLevel ?? DefaultCompressionLevel, leaveOpen: true);

    /// <inheritdoc />
    public Stream CreateDecompressionStream(Stream input) => new GZipStream(input, CompressionMode.Decompress, leaveOpen: true);
}
