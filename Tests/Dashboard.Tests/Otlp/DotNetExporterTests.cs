using System.Diagnostics;
using System.Diagnostics.Metrics;
using AspireProber.Dashboard.Telemetry;
using AspireProber.Dashboard.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AspireProber.Dashboard.Tests.Otlp;

/// <summary>The real OpenTelemetry .NET OTLP exporter, in both protocols, sends spans, metrics and logs; the store holds exactly them.</summary>
public sealed class DotNetExporterTests
{
    [Theory]
    [InlineData(OtlpExportProtocol.Grpc)]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    public async Task Spans_arrive_with_ids_names_kinds_attributes_events_and_status(OtlpExportProtocol protocol)
    {
        await using var dashboard = await TestDashboard.StartAsync();
        var name = "test." + Guid.NewGuid().ToString("N");
        using var source = new ActivitySource(name);
        string traceId, parentId, childId;
        using (var tracing = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(Resource("prober", "prober-1"))
            .AddSource(name)
            .AddOtlpExporter(options => Configure(options, dashboard, protocol, "v1/traces"))
            .Build())
        {
            using (var parent = source.StartActivity("probe", ActivityKind.Server)!)
            {
                parent.SetTag("rpc.system", "grpc");
                parent.SetTag("attempt", 3);
                using (var child = source.StartActivity("GET /slow", ActivityKind.Client)!)
                {
                    child.AddEvent(new ActivityEvent("retry", tags: new ActivityTagsCollection { ["delay.ms"] = 100 }));
                    child.SetStatus(ActivityStatusCode.Error, "target answered 500");
                    childId = child.SpanId.ToHexString();
                }
                (traceId, parentId) = (parent.TraceId.ToHexString(), parent.SpanId.ToHexString());
            }
            Assert.True(tracing.ForceFlush(10_000));
        }

        var trace = dashboard.Store.GetTrace(traceId);
        Assert.NotNull(trace);
        Assert.Equal(2, trace.Spans.Count);
        var server = trace.Spans.Single(s => s.SpanId == parentId);
        var client = trace.Spans.Single(s => s.SpanId == childId);
        Assert.Equal(("probe", TelemetrySpanKind.Server, (string?)null), (server.Name, server.Kind, server.ParentSpanId));
        Assert.Equal(("GET /slow", TelemetrySpanKind.Client, parentId), (client.Name, client.Kind, client.ParentSpanId));
        Assert.Equal(new ResourceKey("prober", "prober-1"), server.Resource);
        Assert.Equal(name, server.Scope);
        Assert.Contains(new TelemetryAttribute("rpc.system", "grpc"), server.Attributes);
        Assert.Contains(new TelemetryAttribute("attempt", "3"), server.Attributes);
        Assert.Equal((TelemetryStatusCode.Error, "target answered 500"), (client.StatusCode, client.StatusMessage));
        var retry = Assert.Single(client.Events);
        Assert.Equal("retry", retry.Name);
        Assert.Contains(new TelemetryAttribute("delay.ms", "100"), retry.Attributes);
        Assert.True(server.StartTime <= client.StartTime && client.EndTime <= server.EndTime);
        Assert.Equal(("probe", 2, 1), (trace.Summary.Name, trace.Summary.SpanCount, trace.Summary.ErrorCount));
        Assert.Contains(dashboard.Store.GetResources(), r => r.Key == new ResourceKey("prober", "prober-1"));
    }

    [Theory]
    [InlineData(OtlpExportProtocol.Grpc)]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    public async Task Logs_arrive_with_severity_body_attributes_and_trace_context(OtlpExportProtocol protocol)
    {
        await using var dashboard = await TestDashboard.StartAsync();
        var token = Guid.NewGuid().ToString("N");
        string traceId, spanId;
        using (var loggerFactory = LoggerFactory.Create(logging => logging.AddOpenTelemetry(options =>
        {
            options.SetResourceBuilder(Resource("runner", "runner-0"));
            options.IncludeFormattedMessage = true;
            options.AddOtlpExporter(exporter => Configure(exporter, dashboard, protocol, "v1/logs"));
        })))
        {
            var logger = loggerFactory.CreateLogger("Runner.Rounds");
            using var source = new ActivitySource("test." + token);
            using var listener = ListenTo(source.Name);
            using (var activity = source.StartActivity("round")!)
            {
                (traceId, spanId) = (activity.TraceId.ToHexString(), activity.SpanId.ToHexString());
                logger.LogWarning("Round {Token} had {Failures} failures", token, 2);
            }
            logger.LogInformation("Outside of any trace {Token}", token);
        }

        var logs = dashboard.Store.GetLogs(new LogQuery { Text = token });
        Assert.Equal(2, logs.Count);
        var warning = logs.Single(l => l.TraceId is not null);
        Assert.Equal(new ResourceKey("runner", "runner-0"), warning.Resource);
        Assert.Equal("Runner.Rounds", warning.Scope);
        Assert.Equal(13, warning.Severity);
        Assert.Equal($"Round {token} had 2 failures", warning.Body);
        Assert.Contains(new TelemetryAttribute("Token", token), warning.Attributes);
        Assert.Contains(new TelemetryAttribute("Failures", "2"), warning.Attributes);
        Assert.Equal((traceId, spanId), (warning.TraceId, warning.SpanId));
        var information = logs.Single(l => l.TraceId is null);
        Assert.Equal(9, information.Severity);
        Assert.Single(dashboard.Store.GetLogs(new LogQuery { MinSeverity = 13 }));
        Assert.Single(dashboard.Store.GetLogs(new LogQuery { TraceId = traceId }));
    }

    [Theory]
    [InlineData(OtlpExportProtocol.Grpc, MetricReaderTemporalityPreference.Cumulative)]
    [InlineData(OtlpExportProtocol.HttpProtobuf, MetricReaderTemporalityPreference.Cumulative)]
    [InlineData(OtlpExportProtocol.Grpc, MetricReaderTemporalityPreference.Delta)]
    [InlineData(OtlpExportProtocol.HttpProtobuf, MetricReaderTemporalityPreference.Delta)]
    public async Task Counters_histograms_and_gauges_arrive_as_cumulative_series_per_attribute_set(OtlpExportProtocol protocol, MetricReaderTemporalityPreference temporality)
    {
        await using var dashboard = await TestDashboard.StartAsync();
        var meterName = "test." + Guid.NewGuid().ToString("N");
        using var meter = new Meter(meterName);
        var sent = meter.CreateCounter<long>("stock.updates.sent", "{update}", "Updates sent.");
        var latency = meter.CreateHistogram<double>("probe.latency", "s", "Probe latency.");
        meter.CreateObservableGauge("queue.depth", () => new Measurement<int>(7, new KeyValuePair<string, object?>("queue", "a")));
        using (var metrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(Resource("stock", "stock-0"))
            .AddMeter(meterName)
            .AddView("probe.latency", new ExplicitBucketHistogramConfiguration { Boundaries = [0.1, 1] })
            .AddOtlpExporter((exporter, reader) =>
            {
                Configure(exporter, dashboard, protocol, "v1/metrics");
                reader.TemporalityPreference = temporality;
            })
            .Build())
        {
            // Two exports: with delta temporality the second carries only what happened after the first.
            sent.Add(3, new KeyValuePair<string, object?>("stream", "fast"));
            sent.Add(1, new KeyValuePair<string, object?>("stream", "slow"));
            latency.Record(0.05);
            latency.Record(0.5);
            Assert.True(metrics.ForceFlush(10_000));
            sent.Add(2, new KeyValuePair<string, object?>("stream", "fast"));
            latency.Record(5);
            Assert.True(metrics.ForceFlush(10_000));
        }

        var instruments = dashboard.Store.GetInstruments("stock");
        Assert.Equal(
            [("probe.latency", MetricKind.Histogram, "s", "Probe latency."), ("queue.depth", MetricKind.Gauge, "", ""), ("stock.updates.sent", MetricKind.Counter, "{update}", "Updates sent.")],
            instruments.Select(i => (i.Name, i.Kind, i.Unit, i.Description)));

        var counter = dashboard.Store.GetInstrument("stock", "stock.updates.sent")!;
        var fast = counter.Series.Single(s => s.Attributes.SequenceEqual([new TelemetryAttribute("stream", "fast")]));
        var slow = counter.Series.Single(s => s.Attributes.SequenceEqual([new TelemetryAttribute("stream", "slow")]));
        Assert.Equal(new ResourceKey("stock", "stock-0"), fast.Resource);
        Assert.Equal(5, fast.Points[^1].Value);
        Assert.Equal(3, fast.Points[0].Value);
        Assert.Equal(1, slow.Points[^1].Value);

        var histogram = Assert.Single(dashboard.Store.GetInstrument("stock", "probe.latency")!.Series).Points[^1].Histogram!;
        Assert.Equal(3UL, histogram.Count);
        Assert.Equal(5.55, histogram.Sum, 6);
        Assert.Equal([0.1, 1], histogram.Bounds);
        Assert.Equal([1UL, 1UL, 1UL], histogram.BucketCounts);
        Assert.Equal((0.05, 5.0), (histogram.Min, histogram.Max));

        var gauge = Assert.Single(dashboard.Store.GetInstrument("stock", "queue.depth")!.Series);
        Assert.Equal([new TelemetryAttribute("queue", "a")], gauge.Attributes);
        Assert.All(gauge.Points, point => Assert.Equal(7, point.Value));
    }

    private static ResourceBuilder Resource(string service, string instance) =>
        ResourceBuilder.CreateEmpty().AddService(service, serviceInstanceId: instance, autoGenerateServiceInstanceId: false);

    /// <summary>Points the exporter at the dashboard; over HTTP an endpoint set in code is used as is, so it names the signal's path.</summary>
    internal static void Configure(OtlpExporterOptions options, TestDashboard dashboard, OtlpExportProtocol protocol, string httpPath, string? apiKey = null)
    {
        options.Protocol = protocol;
        options.Endpoint = protocol == OtlpExportProtocol.Grpc ? dashboard.OtlpGrpcUrl : new Uri(dashboard.OtlpHttpUrl, httpPath);
        if (apiKey is not null)
        {
            options.Headers = "x-otlp-api-key=" + apiKey;
        }
    }

    /// <summary>Makes <paramref name="sourceName"/>'s activities recorded, as a tracer provider listening to it would.</summary>
    internal static ActivityListener ListenTo(string sourceName)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == sourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
