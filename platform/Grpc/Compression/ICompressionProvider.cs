using System.IO.Compression;

namespace Grpc.Net.Compression;

/// <summary>A message compression algorithm, named as it appears in grpc-encoding / grpc-accept-encoding.</summary>
public interface ICompressionProvider
{
    /// <summary>The encoding name, e.g. <c>gzip</c>.</summary>
    string EncodingName { get; }

    /// <summary>A stream that compresses what is written to it into <paramref name="output"/>.</summary>
    Stream CreateCompressionStream(Stream output, CompressionLevel? compressionLevel);

    /// <summary>A stream that reads the decompressed bytes of <paramref name="input"/>.</summary>
    Stream CreateDecompressionStream(Stream input);
}
