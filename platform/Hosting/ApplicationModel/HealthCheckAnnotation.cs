namespace Aspire.Hosting.ApplicationModel;

/// <summary>How the orchestrator decides a replica is healthy: an HTTP GET, or a grpc.health.v1 Check.</summary>
public sealed class HealthCheckAnnotation : IResourceAnnotation
{
    private HealthCheckAnnotation(HealthCheckKind kind, string endpointName, string path, int statusCode, string grpcService)
    {
        Kind = kind;
        EndpointName = endpointName;
        Path = path;
        StatusCode = statusCode;
        GrpcService = grpcService;
    }

    /// <summary>A GET of <paramref name="path"/> on endpoint <paramref name="endpointName"/> that must answer <paramref name="statusCode"/>.</summary>
    public static HealthCheckAnnotation Http(string path = "/health", string endpointName = "http", int statusCode = 200) =>
        new(HealthCheckKind.Http, endpointName, path.StartsWith('/') ? path : "/" + path, statusCode, grpcService: "");

    /// <summary>A grpc.health.v1 Check of <paramref name="service"/> ("" = the whole server) on endpoint <paramref name="endpointName"/> that must answer SERVING.</summary>
    public static HealthCheckAnnotation Grpc(string endpointName = "grpc", string service = "") =>
        new(HealthCheckKind.Grpc, endpointName, path: "", statusCode: 0, service);

    /// <summary>HTTP or gRPC.</summary>
    public HealthCheckKind Kind { get; }

    /// <summary>The endpoint checked.</summary>
    public string EndpointName { get; }

    /// <summary>The HTTP path (HTTP checks).</summary>
    public string Path { get; }

    /// <summary>The expected HTTP status (HTTP checks).</summary>
    public int StatusCode { get; }

    /// <summary>The service name asked about (gRPC checks).</summary>
    public string GrpcService { get; }
}

/// <summary>The protocols of <see cref="HealthCheckAnnotation"/>.</summary>
public enum HealthCheckKind
{
    /// <summary>HTTP GET.</summary>
    Http,

    /// <summary>grpc.health.v1.Health/Check.</summary>
    Grpc,
}
