namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// Marks the resource that is the dashboard (added by the AppHost itself, as Aspire does): the orchestrator starts it
/// first, passes it its endpoints, secrets and the resource service address, and points every project's OTLP exporter at it.
/// </summary>
public sealed class DashboardAnnotation(string browserToken, string otlpApiKey) : IResourceAnnotation
{
    /// <summary>The browser UI endpoint (HTTP/1.1).</summary>
    public const string UiEndpointName = "http";

    /// <summary>The OTLP/gRPC receiver (h2c), where resources export.</summary>
    public const string OtlpGrpcEndpointName = "otlp-grpc";

    /// <summary>The OTLP/HTTP receiver (HTTP/1.1, protobuf bodies).</summary>
    public const string OtlpHttpEndpointName = "otlp-http";

    /// <summary>The token of the login URL (<c>/login?t=...</c>), new at every AppHost start.</summary>
    public string BrowserToken { get; } = browserToken;

    /// <summary>The <c>x-otlp-api-key</c> every resource sends with its telemetry, new at every AppHost start.</summary>
    public string OtlpApiKey { get; } = otlpApiKey;
}
