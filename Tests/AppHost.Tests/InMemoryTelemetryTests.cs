using System.Diagnostics;
using Aspire.Hosting.Testing;
using AspireProber.Dashboard.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AspireProber.AppHost.Tests;

/// <summary>The test builder's in-memory OTLP sink on its own: both protocols arrive, the AppHost is pointed at the right endpoint, and waits explain themselves.</summary>
public sealed class InMemoryTelemetryTests
{
    private static readonly TimeSpan s_arrivalLimit = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("grpc")]
    [InlineData("http/protobuf")]
    public async Task A_span_exported_by_the_OpenTelemetry_SDK_over_either_protocol_is_awaited_and_found_with_its_replica(string protocol)
    {
        await using var telemetry = await InMemoryTelemetry.StartAsync();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AspireProber_AppHost>();
        builder.WithOtlpSink(telemetry, protocol);
        // What the orchestrator passes on as OTEL_EXPORTER_OTLP_ENDPOINT/_PROTOCOL to every resource.
        var endpoint = new Uri(builder.Configuration["AppHost:OtlpEndpoint"]!);
        Assert.Equal(protocol == "grpc" ? telemetry.OtlpGrpcUrl : telemetry.OtlpHttpUrl, endpoint);
        Assert.Equal(protocol, builder.Configuration["AppHost:OtlpProtocol"]);

        // Waiting starts before the span exists: the wait wakes on the store's change.
        var arrival = telemetry.WaitForSpanAsync(s => s.Name == "probe", s_arrivalLimit);
        var spanId = Export("probe", protocol, endpoint);

        var span = await arrival;
        Assert.Equal(spanId, span.SpanId);
        Assert.Equal(new ResourceKey("prober", "prober-1"), span.Resource);
        Assert.Equal([span], telemetry.GetSpans("prober", "prober-1"));
        Assert.Empty(telemetry.GetSpans("prober", "prober-0"));
    }

    [Fact]
    public async Task A_wait_that_times_out_says_what_did_arrive()
    {
        await using var telemetry = await InMemoryTelemetry.StartAsync();
        Export("GET /fast", "grpc", telemetry.OtlpGrpcUrl);

        var timeout = await Assert.ThrowsAsync<TimeoutException>(() => telemetry.WaitForSpanAsync(s => s.Name == "never sent", TimeSpan.FromSeconds(1)));

        Assert.Contains("No span matching the predicate arrived within 1 s", timeout.Message, StringComparison.Ordinal);
        Assert.Contains("replicas: prober/prober-1", timeout.Message, StringComparison.Ordinal);
        Assert.Contains("spans of prober: Server GET /fast ×1", timeout.Message, StringComparison.Ordinal);
    }

    /// <summary>Exports one server span of replica prober-1 through the SDK's OTLP exporter (as the services do) and returns its span id.</summary>
    private static string Export(string spanName, string protocol, Uri endpoint)
    {
        var sourceName = "test." + Guid.NewGuid().ToString("N");
        using var source = new ActivitySource(sourceName);
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("prober", serviceInstanceId: "prober-1"))
            .AddSource(sourceName)
            .AddOtlpExporter(options =>
            {
                // Set in code, the HTTP endpoint is taken as is: the signal's path is the caller's to add (the env var gets it added).
                options.Protocol = protocol == "grpc" ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
                options.Endpoint = protocol == "grpc" ? endpoint : new Uri(endpoint, "v1/traces");
            })
            .Build();
        string spanId;
        using (var activity = source.StartActivity(spanName, ActivityKind.Server)!)
        {
            spanId = activity.SpanId.ToHexString();
        }
        Assert.True(tracing.ForceFlush(10_000), "The OTLP exporter did not flush within 10 s.");
        return spanId;
    }
}
