using Grpc.Net.Compression;

namespace Grpc.AspNetCore.Server.Internal;

/// <summary>The server options resolved once at mapping time, so calls read plain fields.</summary>
internal sealed class ServerMethodSettings
{
    public ServerMethodSettings(GrpcServiceOptions options)
    {
        MaxReceiveMessageSize = options.MaxReceiveMessageSize;
        MaxSendMessageSize = options.MaxSendMessageSize;
        EnableDetailedErrors = options.EnableDetailedErrors;
        ResponseCompressionAlgorithm = options.ResponseCompressionAlgorithm;
        CompressionProviders = options.CompressionProviders.ToArray();
        AcceptEncodingValue = Net.Compression.CompressionProviders.AcceptEncodingValue(CompressionProviders);
        if (ResponseCompressionAlgorithm is not null && Net.Compression.CompressionProviders.Find(CompressionProviders, ResponseCompressionAlgorithm) is null)
        {
            throw new InvalidOperationException($"ResponseCompressionAlgorithm '{ResponseCompressionAlgorithm}' has no compression provider; supported: {AcceptEncodingValue}.");
        }
    }

    public int? MaxReceiveMessageSize { get; }
    public int? MaxSendMessageSize { get; }
    public bool EnableDetailedErrors { get; }
    public string? ResponseCompressionAlgorithm { get; }
    public IReadOnlyList<ICompressionProvider> CompressionProviders { get; }
    public string AcceptEncodingValue { get; }
}
