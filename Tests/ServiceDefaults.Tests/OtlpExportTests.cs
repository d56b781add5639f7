using System.Diagnostics;
using System.Diagnostics.Metrics;
using AspireProber.ServiceDefaults.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AspireProber.ServiceDefaults.Tests;

/// <summary>With OTEL_EXPORTER_OTLP_ENDPOINT set, traces, metrics and logs reach an OTLP receiver, named by the OTEL_* variables.</summary>
public sealed class OtlpExportTests
{
    private static readonly TimeSpan ExportWait = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData("http/protobuf")]
    [InlineData("grpc")]
    public async Task Traces_metrics_and_logs_arrive_with_service_name_and_instance_id(string protocol)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var token = Guid.NewGuid().ToString("N");
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?>
        {
            // Configuration, not the process environment, so parallel tests do not see each other's endpoint.
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = (protocol == "grpc" ? receiver.GrpcEndpoint : receiver.HttpEndpoint).ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = protocol,
            ["OTEL_SERVICE_NAME"] = "prober",
            ["OTEL_RESOURCE_ATTRIBUTES"] = "service.instance.id=prober-" + token,
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "100",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
        });
        // Our sources and meters are the ones named AspireProber.* (ServiceDefaults subscribes to the prefix).
        using var source = new ActivitySource("AspireProber.Tests.Otlp." + token);
        using var meter = new Meter("AspireProber.Tests.Otlp." + token);

        using (source.StartActivity("probe " + token))
        {
            app.App.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OtlpTest").LogInformation("Probed {Token}", token);
        }
        meter.CreateCounter<long>("probes." + token, "{probe}", "Probes.").Add(1);
        await app.Http.GetAsync("/alive");

        var trace = await receiver.WaitForAsync("traces", body => Otlp.ItemNames(body, 5).Contains("probe " + token), ExportWait);
        var metrics = await receiver.WaitForAsync("metrics", body => Otlp.ItemNames(body, 1).Contains("probes." + token), ExportWait);
        var logs = await receiver.WaitForAsync("logs", body => Otlp.Contains(body, token), ExportWait);
        foreach (var export in new[] { trace, metrics, logs })
        {
            var resource = Otlp.ResourceAttributes(export);
            Assert.Equal("prober", resource["service.name"]);
            Assert.Equal("prober-" + token, resource["service.instance.id"]);
        }
        // ASP.NET Core's own spans and meters go the same way.
        await receiver.WaitForAsync("traces", body => Otlp.ItemNames(body, 5).Any(name => name.StartsWith("GET", StringComparison.Ordinal)), ExportWait);
        await receiver.WaitForAsync("metrics", body => Otlp.ItemNames(body, 1).Contains("http.server.request.duration"), ExportWait);
    }

    [Fact]
    public async Task Request_spans_are_named_after_their_route_and_scrapes_and_health_checks_are_not_exported()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var app = await TestApp.StartAsync(
            new Dictionary<string, string?>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.HttpEndpoint.ToString(),
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            },
            configureApp: app => app.MapGet("/hello/{name}", (string name) => "hello " + name));

        await app.Http.GetAsync("/metrics");
        await app.Http.GetAsync("/health");
        await app.Http.GetAsync("/alive");
        await new global::Grpc.Health.V1.Health.HealthClient(app.Channel).CheckAsync(new global::Grpc.Health.V1.HealthCheckRequest());
        await app.Http.GetAsync("/hello/you");

        await receiver.WaitForAsync("traces", body => Otlp.ItemNames(body, 5).Contains("GET /hello/{name}"), ExportWait);
        // Exported in order: whatever the earlier requests exported has arrived by now.
        var spans = receiver.Exports.Where(export => export.Signal == "traces").SelectMany(export => Otlp.SpanNamesByScope(export.Body)).ToList();
        Assert.DoesNotContain(spans, span => span.Name is "GET /metrics" or "GET /health" or "GET /alive" or "POST /grpc.health.v1.Health/Check");
        // Client spans of health checks (this test's, or a parallel test's in the same process) may be exported; the
        // server's span of a check may not.
        Assert.DoesNotContain(spans, span => span.Scope == "Microsoft.AspNetCore" && span.Name.Contains("grpc.health.v1.Health/", StringComparison.Ordinal));
        Assert.Contains(spans, span => span.Scope == "OpenTelemetry.Instrumentation.GrpcNetClient" && span.Name == "grpc.health.v1.Health/Check");
    }
}
