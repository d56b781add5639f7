using System.Text;
using Aspire.Hosting.Testing;
using AspireProber.Dashboard.Telemetry;

namespace AspireProber.AppHost.Tests;

/// <summary>
/// The real AppHost model exporting to an in-memory OTLP sink (the dashboard's receivers and store): the runner's probe
/// rounds make one trace across runner, prober replica and ProbeTarget, the stock metrics of both consumers arrive,
/// and each prober replica is told apart by its service.instance.id.
/// </summary>
public sealed class TelemetryEndToEndTests
{
    private const string ProbeMethod = "prober.v1.Prober/Probe";
    private const string HttpClientScope = "System.Net.Http";
    private static readonly string[] ProberReplicas = ["prober-0", "prober-1", "prober-2"];
    private static readonly string[] Consumers = ["fast", "slow"];

    // Exports leave every second (the AppHost's development settings); the limit is for a loaded CI machine.
    private static readonly TimeSpan s_arrivalLimit = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task One_trace_id_spans_the_runner_a_prober_replica_and_the_ProbeTarget_request_linked_parent_to_child_and_stock_metrics_arrive_for_both_consumers()
    {
        await using var telemetry = await InMemoryTelemetry.StartAsync();
        await using var app = await AppHostModel.StartAsync(builder => builder.WithOtlpSink(telemetry));

        // The runner probes at once on start, so its first round's traces are complete within a few exports.
        var trace = await telemetry.WaitForTraceAsync(t => FindProbeChain(t) is not null, s_arrivalLimit);

        var chain = FindProbeChain(trace)!;
        var description = Describe(trace);
        Assert.True(chain.RunnerCall.ParentSpanId is null, $"The runner's call starts the trace:\n{description}");
        Assert.Contains(chain.ProberCall.Resource.InstanceId, ProberReplicas);
        Assert.Equal("probetarget-0", chain.TargetRequest.Resource.InstanceId);
        // Every hop is a parent link (child's parent_span_id = parent's span_id), in this order, whatever spans of the
        // transport sit between them (e.g. ASP.NET Core's request span under the runner's call).
        string[] hops = [chain.RunnerCall.SpanId, chain.ProberCall.SpanId, chain.ProbeRequest.SpanId, chain.TargetRequest.SpanId];
        Assert.Equal(hops, Ancestry(trace, chain.TargetRequest).Select(s => s.SpanId).Where(hops.Contains));
        // Inside the prober the RPC's span is the attempt's parent and the attempt the HTTP request's; ProbeTarget's
        // request span is the direct child of that HTTP request (traceparent crossed the process boundary as sent).
        var attempt = Parent(trace, chain.ProbeRequest);
        Assert.True(attempt is { Name: "prober.attempt" } && attempt.ParentSpanId == chain.ProberCall.SpanId, description);
        Assert.Equal(chain.ProbeRequest.SpanId, chain.TargetRequest.ParentSpanId);
        // ... and that request went to the ProbeTarget the runner named (HttpClient's url.full hides the query as "?*").
        var target = app.GetEndpoint("probetarget", "http").GetLeftPart(UriPartial.Authority);
        Assert.StartsWith(target, Attribute(attempt, "url.full"), StringComparison.Ordinal);
        Assert.Equal(PathOf(Attribute(attempt, "url.full")), PathOf(Attribute(chain.ProbeRequest, "url.full")));

        // Sent (stock) and received (runner) pair up per consumer, as the Backpressure dashboard needs.
        await WaitForCountsAsync(telemetry, "stock", "stock.updates.sent");
        await WaitForCountsAsync(telemetry, "runner", "stock.updates.received");
    }

    [Fact]
    public async Task Each_prober_replica_exports_under_its_own_service_instance_id()
    {
        await using var telemetry = await InMemoryTelemetry.StartAsync();
        await using var app = await AppHostModel.StartAsync(builder => builder.WithOtlpSink(telemetry));

        // The runner's fan-out calls every replica each round: each one's server span carries its own identity.
        foreach (var replica in ProberReplicas)
        {
            var span = await telemetry.WaitForSpanAsync(
                s => s.Resource == new ResourceKey("prober", replica) && s.Kind == TelemetrySpanKind.Server && s.Name == ProbeMethod, s_arrivalLimit);
            Assert.Equal(replica, span.Resource.InstanceId);
        }
        var proberReplicas = telemetry.Store.GetResources().Where(r => r.Key.ServiceName == "prober").Select(r => r.Key.InstanceId);
        Assert.Equal(ProberReplicas, proberReplicas);

        // Metrics too: the prober's attempt counter has one series per replica.
        var attempts = await telemetry.WaitForInstrumentAsync(
            "prober", "prober.attempts", i => ProberReplicas.All(r => i.Series.Any(s => s.Resource.InstanceId == r)), s_arrivalLimit);
        Assert.Equal(ProberReplicas, attempts.Series.Select(s => s.Resource.InstanceId).Distinct().Order(StringComparer.Ordinal));
    }

    /// <summary>The spans of one probe: the runner's call, the replica's handling of it, its HTTP request, and ProbeTarget's handling of that.</summary>
    private sealed record ProbeChain(TelemetrySpan RunnerCall, TelemetrySpan ProberCall, TelemetrySpan ProbeRequest, TelemetrySpan TargetRequest);

    private static ProbeChain? FindProbeChain(TelemetryTrace trace)
    {
        foreach (var targetRequest in trace.Spans.Where(s => s.Resource.ServiceName == "probetarget" && s.Kind == TelemetrySpanKind.Server))
        {
            var ancestry = Ancestry(trace, targetRequest);
            var probeRequest = ancestry.LastOrDefault(s => s.Resource.ServiceName == "prober" && s.Kind == TelemetrySpanKind.Client && s.Scope == HttpClientScope);
            var proberCall = ancestry.LastOrDefault(s => s.Resource.ServiceName == "prober" && s.Kind == TelemetrySpanKind.Server && s.Name == ProbeMethod);
            var runnerCall = ancestry.LastOrDefault(s => s.Resource.ServiceName == "runner" && s.Kind == TelemetrySpanKind.Client && s.Name == ProbeMethod);
            if (runnerCall is not null && proberCall is not null && probeRequest is not null)
            {
                return new ProbeChain(runnerCall, proberCall, probeRequest, targetRequest);
            }
        }
        return null;
    }

    /// <summary>The root's path down to <paramref name="span"/> following parent_span_id; it starts at the first span whose parent is missing.</summary>
    private static List<TelemetrySpan> Ancestry(TelemetryTrace trace, TelemetrySpan span)
    {
        var path = new List<TelemetrySpan> { span };
        for (var current = Parent(trace, span); current is not null && path.Count <= trace.Spans.Count; current = Parent(trace, current))
        {
            path.Insert(0, current);
        }
        return path;
    }

    private static TelemetrySpan? Parent(TelemetryTrace trace, TelemetrySpan span) =>
        span.ParentSpanId is { } parentId ? trace.Spans.FirstOrDefault(s => s.SpanId == parentId) : null;

    private static string? Attribute(TelemetrySpan span, string key) =>
        span.Attributes.Where(a => a.Key == key).Select(a => a.Value).FirstOrDefault();

    private static string? PathOf(string? url) => url is null ? null : new Uri(url).GetLeftPart(UriPartial.Path);

    private static string Describe(TelemetryTrace trace)
    {
        var text = new StringBuilder($"trace {trace.Summary.TraceId}:");
        foreach (var span in trace.Spans)
        {
            text.Append($"\n  {span.Resource} {span.Kind} '{span.Name}' ({span.Scope}) span {span.SpanId} parent {span.ParentSpanId ?? "-"}");
        }
        return text.ToString();
    }

    /// <summary>Waits until the counter (a monotonic sum) has counted updates for every consumer.</summary>
    private static async Task WaitForCountsAsync(InMemoryTelemetry telemetry, string service, string instrumentName)
    {
        var instrument = await telemetry.WaitForInstrumentAsync(service, instrumentName, i => Consumers.All(c => Total(i, c) > 0), s_arrivalLimit);
        Assert.Equal(MetricKind.Counter, instrument.Info.Kind);
    }

    private static double Total(MetricInstrument instrument, string consumer) => instrument.Series
        .Where(s => s.Attributes.Contains(new TelemetryAttribute("consumer", consumer)) && s.Points.Count > 0)
        .Sum(s => s.Points[^1].Value);
}
