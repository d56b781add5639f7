namespace Grpc.Core;

/// <summary>What a server handler knows about its call, and what it may set on the response.</summary>
public abstract class ServerCallContext
{
    private Dictionary<object, object>? _userState;

    /// <summary>The method's full name, e.g. <c>/prober.v1.Prober/Probe</c>.</summary>
    public abstract string Method { get; }

    /// <summary>The :authority of the request.</summary>
    public abstract string Host { get; }

    /// <summary>The peer address, e.g. <c>ipv4:127.0.0.1:50000</c>.</summary>
    public abstract string Peer { get; }

    /// <summary>When the call must be finished by (UTC); <see cref="DateTime.MaxValue"/> when the client set none.</summary>
    public abstract DateTime Deadline { get; }

    /// <summary>The headers the client sent (without the HTTP/2 pseudo and transport headers).</summary>
    public abstract Metadata RequestHeaders { get; }

    /// <summary>Fires when the client cancels, the connection drops, or the deadline passes.</summary>
    public abstract CancellationToken CancellationToken { get; }

    /// <summary>Trailers to send with the status.</summary>
    public abstract Metadata ResponseTrailers { get; }

    /// <summary>The status to send when the handler returns normally.</summary>
    public abstract Status Status { get; set; }

    /// <summary>Options for the response messages.</summary>
    public abstract WriteOptions? WriteOptions { get; set; }

    /// <summary>State that interceptors and handlers share for this call.</summary>
    public IDictionary<object, object> UserState => _userState ??= new Dictionary<object, object>();

    /// <summary>Sends the response headers now; at most once, before the first message.</summary>
    public abstract Task WriteResponseHeadersAsync(Metadata responseHeaders);
}
