using System.IO.Compression;
using Grpc.Core.Interceptors;
using Grpc.Net.Compression;
using Grpc.Shared;

namespace Grpc.AspNetCore.Server;

/// <summary>Options of the gRPC server: limits, error detail, compression and interceptors.</summary>
public sealed class GrpcServiceOptions
{
    /// <summary>The largest request message accepted, in bytes (default 4 MiB); larger ones end the call with RESOURCE_EXHAUSTED.</summary>
    public int? MaxReceiveMessageSize { get; set; } = GrpcProtocolConstants.DefaultMaxReceiveMessageSize;

    /// <summary>The largest response message sent, in bytes (default: no limit).</summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>Send exception messages of failed handlers to clients. Off by default: they can leak internals.</summary>
    public bool EnableDetailedErrors { get; set; }

    /// <summary>Compress responses with this encoding when the client accepts it (null: no compression).</summary>
    public string? ResponseCompressionAlgorithm { get; set; }

    /// <summary>The compression level for responses.</summary>
    public CompressionLevel? ResponseCompressionLevel { get; set; }

    /// <summary>The encodings the server can read and write.</summary>
    public IList<ICompressionProvider> CompressionProviders { get; } = new List<ICompressionProvider>(Net.Compression.CompressionProviders.Default);

    /// <summary>Server interceptors, outermost first.</summary>
    public InterceptorCollection Interceptors { get; } = new();
}

/// <summary>Interceptors registered by type (created from DI once) or as instances.</summary>
public sealed class InterceptorCollection : List<InterceptorRegistration>
{
    /// <summary>Adds an interceptor type; it is created from the service provider, with these extra constructor arguments.</summary>
    public void Add<TInterceptor>(params object[] args) where TInterceptor : Interceptor =>
        Add(new InterceptorRegistration(typeof(TInterceptor), args, null));

    /// <summary>Adds an interceptor instance.</summary>
    public void Add(Interceptor interceptor) => Add(new InterceptorRegistration(interceptor.GetType(), [], interceptor));
}

/// <summary>One registered interceptor.</summary>
public sealed record InterceptorRegistration(Type Type, object[] Arguments, Interceptor? Instance);
