using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Aspire.Hosting.Testing;
using AspireProber.Prober.V1;
using Grpc.Core;

namespace AspireProber.AppHost.Tests;

/// <summary>
/// What the Aspire dashboard shows of one probe: the real dashboard, started by the AppHost, receives every service's
/// OTLP export, and its telemetry API (the one the Aspire CLI's <c>aspire otel</c> reads) returns the trace.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class TraceEndToEndTests(SystemFixture system)
{
    private static readonly TimeSpan s_exportLimit = TimeSpan.FromSeconds(45);

    private static readonly HttpClient s_http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task One_ProbeAny_is_one_trace_from_the_runner_through_the_replica_that_answered_to_probetarget()
    {
        var (traceId, callerSpanId, replica) = await ProbeAnyInNewTraceAsync(system);

        var spans = await WaitForTraceAsync(system.Dashboard, system.DashboardApiKey, traceId, callerSpanId);

        // From probetarget's server span up to the test: probetarget, then the prober replica, then the runner.
        var target = Assert.Single(spans.Values, s => s.Service == "probetarget" && s.Kind == ServerKind);
        var path = new List<Span>();
        for (var span = target; span is not null; span = spans.GetValueOrDefault(span.ParentSpanId))
        {
            path.Add(span);
        }
        Assert.Equal(callerSpanId, path[^1].ParentSpanId);
        Assert.Equal(["probetarget", "prober", "runner"], path.Select(s => s.Service).Distinct());
        var runnerServer = path[^1];
        Assert.Equal(ServerKind, runnerServer.Kind);
        Assert.Contains("runner.v1.Runner/ProbeAny", runnerServer.Name, StringComparison.Ordinal);
        // The prober spans are the replica's that answered, as the dashboard names it.
        Assert.All(path.Where(s => s.Service == "prober"), s => Assert.Equal(replica, s.Instance));
        Assert.Contains(path, s => s.Service == "prober" && s.Kind == ServerKind && s.Name.Contains("prober.v1.Prober/Probe", StringComparison.Ordinal));
    }

    /// <summary>
    /// One ProbeAny of ProbeTarget's /fast through the runner, as the root of a new trace: the test's own caller span
    /// id is the parent of the runner's server span. Returns the trace, that span id and the replica that answered.
    /// </summary>
    internal static async Task<(string TraceId, string CallerSpanId, string Replica)> ProbeAnyInNewTraceAsync(SystemFixture system)
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var callerSpanId = ActivitySpanId.CreateRandom().ToHexString();
        var reply = await new Runner.V1.Runner.RunnerClient(system.RunnerChannel).ProbeAnyAsync(
            RunningApp.FastProbe(system.App),
            new Metadata { { "traceparent", $"00-{traceId}-{callerSpanId}-01" } },
            deadline: DateTime.UtcNow.AddSeconds(30));
        return (traceId, callerSpanId, reply.Replica);
    }

    // OTLP's SPAN_KIND_SERVER.
    private const int ServerKind = 2;

    internal sealed record Span(string SpanId, string ParentSpanId, string Name, int Kind, string Service, string? Instance);

    /// <summary>
    /// Polls the dashboard's telemetry API until the trace has spans of runner, prober and probetarget and no span whose
    /// parent is missing but for <paramref name="callerSpanId"/>'s children: each service exports on its own schedule,
    /// so a trace can arrive with a leaf's service in it and a span between them not yet.
    /// </summary>
    internal static async Task<Dictionary<string, Span>> WaitForTraceAsync(Uri dashboard, string apiKey, string traceId, string callerSpanId)
    {
        var deadline = DateTime.UtcNow + s_exportLimit;
        var spans = new Dictionary<string, Span>();
        while (true)
        {
            using var request = new HttpRequestMessage(System.Net.Http.HttpMethod.Get, new Uri(dashboard, $"/api/telemetry/traces/{traceId}"));
            request.Headers.Add("x-api-key", apiKey);
            using var response = await s_http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.NotFound)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                spans = ReadSpans(await response.Content.ReadAsStringAsync());
                if (spans.Values.Select(s => s.Service).ToHashSet().IsSupersetOf(["runner", "prober", "probetarget"])
                    && spans.Values.All(s => s.ParentSpanId == callerSpanId || spans.ContainsKey(s.ParentSpanId)))
                {
                    return spans;
                }
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Within {s_exportLimit.TotalSeconds} s the dashboard did not have the whole trace from all three services: " +
                    string.Join("; ", spans.Values.Select(s => $"{s.Service} {s.Name} {s.SpanId}←{s.ParentSpanId}")));
            }
            await Task.Delay(500);
        }
    }

    /// <summary>The spans of an OTLP/JSON trace, by span id, with their resource's service name and instance id.</summary>
    private static Dictionary<string, Span> ReadSpans(string json)
    {
        using var document = JsonDocument.Parse(json);
        var spans = new Dictionary<string, Span>();
        foreach (var resourceSpans in document.RootElement.GetProperty("data").GetProperty("resourceSpans").EnumerateArray())
        {
            var attributes = resourceSpans.GetProperty("resource").GetProperty("attributes").EnumerateArray()
                .ToDictionary(a => a.GetProperty("key").GetString()!, a => a.GetProperty("value").TryGetProperty("stringValue", out var v) ? v.GetString() : null);
            foreach (var span in resourceSpans.GetProperty("scopeSpans").EnumerateArray().SelectMany(s => s.GetProperty("spans").EnumerateArray()))
            {
                var spanId = span.GetProperty("spanId").GetString()!;
                spans[spanId] = new Span(
                    spanId,
                    span.TryGetProperty("parentSpanId", out var parent) ? parent.GetString() ?? "" : "",
                    span.GetProperty("name").GetString()!,
                    span.TryGetProperty("kind", out var kind) ? kind.GetInt32() : 0,
                    attributes.GetValueOrDefault("service.name") ?? "",
                    attributes.GetValueOrDefault("service.instance.id"));
            }
        }
        return spans;
    }
}
