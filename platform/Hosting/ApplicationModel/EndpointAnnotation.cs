namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A network endpoint of a resource. The orchestrator allocates one free loopback port per replica at start, so
/// <see cref="Port"/> and <see cref="TargetPort"/> are usually left null.
/// </summary>
public sealed class EndpointAnnotation(string name, string uriScheme = "http", string transport = EndpointTransports.Http1) : IResourceAnnotation
{
    private readonly List<AllocatedEndpoint> _allocated = [];

    /// <summary>The endpoint's name: <c>http</c>, <c>grpc</c>... (the <c>{endpoint}</c> in <c>services__{name}__{endpoint}__{i}</c>).</summary>
    public string Name { get; } = name;

    /// <summary>The URI scheme clients use, e.g. <c>http</c>.</summary>
    public string UriScheme { get; set; } = uriScheme;

    /// <summary>The HTTP versions served: <see cref="EndpointTransports.Http1"/> or <see cref="EndpointTransports.Http2"/> (h2c, for gRPC).</summary>
    public string Transport { get; set; } = transport;

    /// <summary>A fixed host port (one replica only); null to allocate a free one.</summary>
    public int? Port { get; set; }

    /// <summary>The port the process listens on inside a container; null when it is the host port (projects, executables).</summary>
    public int? TargetPort { get; set; }

    /// <summary>An env var that gets the listening port, for executables that read their port from one (e.g. <c>PORT</c>).</summary>
    public string? EnvironmentVariable { get; set; }

    /// <summary>The address of each replica, by replica index; empty until the orchestrator starts.</summary>
    public IReadOnlyList<AllocatedEndpoint> AllocatedEndpoints => _allocated;

    internal void SetAllocatedEndpoints(IEnumerable<AllocatedEndpoint> endpoints)
    {
        _allocated.Clear();
        _allocated.AddRange(endpoints);
    }
}

/// <summary>The <see cref="EndpointAnnotation.Transport"/> values Kestrel understands.</summary>
public static class EndpointTransports
{
    /// <summary>HTTP/1.1 (<c>Protocols=Http1</c>).</summary>
    public const string Http1 = "http";

    /// <summary>HTTP/2 only, which cleartext gRPC (h2c) needs (<c>Protocols=Http2</c>).</summary>
    public const string Http2 = "http2";
}
