using Grpc.Net.Client.Configuration;
using Grpc.Net.Compression;
using Microsoft.Extensions.Logging;

namespace Grpc.Net.Client;

/// <summary>Options of a <see cref="GrpcChannel"/>, named as in grpc-dotnet.</summary>
public sealed class GrpcChannelOptions
{
    /// <summary>
    /// The handler the channel's HttpClient sends with. Default: one <see cref="SocketsHttpHandler"/> with several
    /// HTTP/2 connections allowed per address and keep-alive pings. Mutually exclusive with <see cref="HttpClient"/>.
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>The HttpClient to send with; mutually exclusive with <see cref="HttpHandler"/>.</summary>
    public HttpClient? HttpClient { get; set; }

    /// <summary>Dispose <see cref="HttpClient"/> or <see cref="HttpHandler"/> with the channel (one the channel created is always disposed).</summary>
    public bool DisposeHttpClient { get; set; }

    /// <summary>The largest response message accepted, in bytes (default 4 MiB); larger ones fail the call with RESOURCE_EXHAUSTED.</summary>
    public int? MaxReceiveMessageSize { get; set; } = Grpc.Shared.GrpcProtocolConstants.DefaultMaxReceiveMessageSize;

    /// <summary>The largest request message sent, in bytes (default: no limit).</summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>The encodings the channel can compress requests with and decompress responses with (default gzip and deflate).</summary>
    public IList<ICompressionProvider>? CompressionProviders { get; set; }

    /// <summary>Load balancing and per-method retry policies.</summary>
    public ServiceConfig? ServiceConfig { get; set; }

    /// <summary>Where the channel logs; none when null.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>The most attempts any retry policy may make, whatever it asks for (default 5, as gRPC caps it).</summary>
    public int? MaxRetryAttempts { get; set; } = 5;

    /// <summary>
    /// How long an address that could not be connected to (UNAVAILABLE) is skipped before calls try it again.
    /// While every address is skipped, calls fail at once with UNAVAILABLE. Default 1 second.
    /// </summary>
    public TimeSpan UnavailableAddressBackoff { get; set; } = TimeSpan.FromSeconds(1);
}
