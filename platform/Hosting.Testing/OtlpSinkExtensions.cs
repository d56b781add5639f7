namespace Aspire.Hosting.Testing;

/// <summary>
/// Where a test collects the resources' telemetry: every resource exports to the given OTLP endpoint (the
/// orchestrator injects <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>/<c>_PROTOCOL</c> from <c>AppHost:OtlpEndpoint</c>/<c>AppHost:OtlpProtocol</c>).
/// </summary>
/// <remarks>
/// <see cref="InMemoryTelemetry"/> is such a sink in the test process (the dashboard's receivers and store), for
/// assertions on traces and metrics (e.g. one trace id across runner, prober and ProbeTarget).
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

    /// <summary>Sends every resource's telemetry to <paramref name="sink"/> over <paramref name="protocol"/> (<c>grpc</c> or <c>http/protobuf</c>).</summary>
    public static IDistributedApplicationTestingBuilder WithOtlpSink(this IDistributedApplicationTestingBuilder builder, InMemoryTelemetry sink, string protocol = "grpc")
    {
        ArgumentNullException.ThrowIfNull(sink);
        return builder.WithOtlpSink(protocol == "http/protobuf" ? sink.OtlpHttpUrl : sink.OtlpGrpcUrl, protocol);
    }
}
