namespace Aspire.Hosting.Orchestration;

/// <summary>Where project resources send telemetry: the dashboard's OTLP/gRPC receiver, or <c>AppHost:OtlpEndpoint</c> when there is no dashboard.</summary>
internal sealed record OtlpExport(string Endpoint, string Protocol, string? Headers);
