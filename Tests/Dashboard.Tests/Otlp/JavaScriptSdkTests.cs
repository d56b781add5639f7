using System.Text.Json;
using AspireProber.Dashboard.Telemetry;
using AspireProber.Dashboard.Tests.Infrastructure;
using AspireProber.Grpc.Tests.Infrastructure;

namespace AspireProber.Dashboard.Tests.Otlp;

/// <summary>
/// The OpenTelemetry JavaScript SDK (Tests/Dashboard.Peers/send.js, npm packages installed by .ci/install-peers.sh) as a
/// second, independent sender: traces over the chosen protocol, metrics and logs over OTLP/HTTP.
/// </summary>
public sealed class JavaScriptSdkTests
{
    private static readonly string PeersDirectory = Path.Combine(PeerProcess.RepoRoot, "Tests", "Dashboard.Peers");

    [Theory]
    [InlineData("grpc")]
    [InlineData("http")]
    public async Task Spans_metrics_and_logs_from_the_js_sdk_are_stored_as_sent(string protocol)
    {
        Assert.True(Directory.Exists(Path.Combine(PeersDirectory, "node_modules")), "Run `bash .ci/install-peers.sh` (npm ci in Tests/Dashboard.Peers) first.");
        await using var dashboard = await TestDashboard.StartAsync();
        var token = Guid.NewGuid().ToString("N");

        var (exitCode, stdout, stderr) = await PeerProcess.RunAsync("node", [
            "send.js",
            "--protocol=" + protocol,
            "--grpc=" + dashboard.OtlpGrpcUrl.GetLeftPart(UriPartial.Authority),
            "--http=" + dashboard.OtlpHttpUrl.GetLeftPart(UriPartial.Authority),
            "--token=" + token,
        ], TimeSpan.FromSeconds(60), PeersDirectory);

        Assert.True(exitCode == 0, $"send.js exited {exitCode}: {stderr}");
        using var sent = JsonDocument.Parse(stdout);
        var traceId = sent.RootElement.GetProperty("traceId").GetString()!;
        var parentId = sent.RootElement.GetProperty("parentSpanId").GetString()!;
        var childId = sent.RootElement.GetProperty("childSpanId").GetString()!;
        var replica = new ResourceKey("js-peer", "js-peer-" + protocol);

        var trace = dashboard.Store.GetTrace(traceId)!;
        Assert.NotNull(trace);
        var parent = trace.Spans.Single(s => s.SpanId == parentId);
        var child = trace.Spans.Single(s => s.SpanId == childId);
        Assert.Equal(("js handle", TelemetrySpanKind.Server, (string?)null, replica, "js-peer-tracer"), (parent.Name, parent.Kind, parent.ParentSpanId, parent.Resource, parent.Scope));
        Assert.Equal([new("peer.token", token), new("attempt", "2")], parent.Attributes);
        Assert.Equal(("js call", TelemetrySpanKind.Client, parentId, TelemetryStatusCode.Error, "peer failed"), (child.Name, child.Kind, child.ParentSpanId, child.StatusCode, child.StatusMessage));
        var retry = Assert.Single(child.Events);
        Assert.Equal(("retry", new TelemetryAttribute("delay.ms", "50")), (retry.Name, Assert.Single(retry.Attributes)));

        var log = Assert.Single(dashboard.Store.GetLogs(new LogQuery { Text = token }));
        Assert.Equal((replica, "js-peer-logger", 13, "WARN", $"js log {token}", traceId, parentId), (log.Resource, log.Scope, log.Severity, log.SeverityText, log.Body, log.TraceId, log.SpanId));

        var counter = dashboard.Store.GetInstrument("js-peer", "js.requests")!;
        Assert.Equal((MetricKind.Counter, "{request}", "Requests.", "js-peer-meter"), (counter.Info.Kind, counter.Info.Unit, counter.Info.Description, counter.Info.Scope));
        var series = Assert.Single(counter.Series);
        Assert.Equal((replica, new TelemetryAttribute("route", "a")), (series.Resource, Assert.Single(series.Attributes)));
        Assert.Equal(7, series.Points[^1].Value);
    }
}
