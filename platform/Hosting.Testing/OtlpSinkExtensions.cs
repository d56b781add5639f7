namespace Aspire.Hosting.Testing;

/// <summary>
/// Where a test collects the resources' telemetry: every resource exports to the given OTLP endpoint (the
/// orchestrator injects <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>/<c>_PROTOCOL</c> from <c>AppHost:OtlpEndpoint</c>/<c>AppHost:OtlpProtocol</c>).
/// </summary>
/// <remarks>
/// The extension point for an in-process receiver (e.g. the dashboard's telemetry store listening on 127.0.0.1:0):
/// start it, pass its URL here before <see cref="IDistributedApplicationTestingBuilder.BuildAsync"/>, then assert on
/// what it received (one trace id across runner, prober and ProbeTarget).
/// </remarks>
public static class OtlpSinkExtensions
{
    /// <summary>Sends every resource's traces, metrics and logs to <paramref name="endpoint"/> over <paramref name="protocol"/> (<c>grpc</c> or <c>http/protobuf</c>).</summary>
    public static IDistributedApplicationTestingBuilder WithOtlpSink(this IDistributedApplicationTestingBuilder builder, Uri endpoint, string protocol = "grpc")
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (protocol is not ("grpc" or "http/protobuf"))
        {
            throw new ArgumentException($"OTLP protocol '{protocol}' is not supported: use 'grpc' or 'http/protobuf'.", nameof(protocol));
        }
        builder.Configuration[$"{OrchestratorOptions.SectionName}:{nameof(OrchestratorOptions.OtlpEndpoint)}"] = endpoint.ToString().TrimEnd('/');
        builder.Configuration[$"{OrchestratorOptions.SectionName}:{nameof(OrchestratorOptions.OtlpProtocol)}"] = protocol;
        return builder;
    }
}
