using System.Collections.Concurrent;
using System.Diagnostics;
using AspireProber.Prober.V1;
using AspireProber.ProberService.Tests.Infrastructure;

namespace AspireProber.ProberService.Tests;

/// <summary>One span per attempt, under the RPC's server span, with HttpClient's span under it — all in the caller's trace.</summary>
public sealed class TracingTests
{
    private static readonly ActivitySource TestSource = new("AspireProber.ProberService.Tests");

    [Fact]
    public async Task Attempt_spans_are_children_of_the_rpc_span_and_parents_of_the_http_spans()
    {
        await using var target = await TargetHost.StartAsync();
        await using var prober = await ProberHost.StartAsync();
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "AspireProber.ProberService.Tests" or "Microsoft.AspNetCore" or ProbeExecutor.ActivitySourceName or "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        ActivityTraceId traceId;
        using (var caller = TestSource.StartActivity("caller")!)
        {
            traceId = caller.TraceId;
            await prober.Client.ProbeAsync(new ProbeRequest { Endpoint = target.Url("/status/503"), Repetitions = 2 });
        }

        var inTrace = stopped.Where(a => a.TraceId == traceId).ToList();
        // grpc-dotnet's server span is ASP.NET Core's request span, tagged with the gRPC method (the target's request
        // spans, also ASP.NET Core's, are in the trace too, under the attempts).
        var server = Assert.Single(inTrace, a => a.Source.Name == "Microsoft.AspNetCore" && a.GetTagItem("grpc.method") is not null);
        Assert.Equal("/prober.v1.Prober/Probe", server.GetTagItem("grpc.method"));
        // ... named and tagged as an RPC by ServiceDefaults, so dashboards show the method and its gRPC status.
        Assert.Equal("prober.v1.Prober/Probe", server.DisplayName);
        Assert.Equal(0, server.GetTagItem("rpc.grpc.status_code"));
        var attempts = inTrace.Where(a => a.Source.Name == ProbeExecutor.ActivitySourceName).OrderBy(a => a.StartTimeUtc).ToList();
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(server.SpanId, a.ParentSpanId));
        Assert.Equal([1, 2], attempts.Select(a => (int)a.GetTagItem("prober.attempt")!));
        Assert.All(attempts, a => Assert.Equal(503, a.GetTagItem("http.response.status_code")));
        Assert.All(attempts, a => Assert.Equal("http_error", a.GetTagItem("prober.outcome")));
        Assert.All(attempts, a => Assert.Equal(ActivityStatusCode.Error, a.Status));
        // The trace also holds the gRPC client's own HTTP span (under the caller); each attempt has exactly one below it.
        var http = inTrace.Where(a => a.Source.Name == "System.Net.Http").ToList();
        Assert.All(attempts, attempt => Assert.Single(http, h => h.ParentSpanId == attempt.SpanId));
    }
}
