using System.Diagnostics;
using AspireProber.Prober.V1;
using AspireProber.ProbeRunner.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Net.Client;

namespace AspireProber.ProbeRunner.Tests;

public class ProbeFanOutTests
{
    private static readonly ProbeRequest Request = new() { Endpoint = "http://127.0.0.1:9/fast", Repetitions = 3 };

    // Generous where the deadline is not what a test is about: the first calls of a test process pay for JIT, and
    // the CI machine has two cores.
    private static readonly TimeSpan Roomy = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Every_replica_answers_once_in_address_order_and_each_call_is_recorded()
    {
        await using var a = await KestrelGrpcServer.StartAsync(new FakeProber("a", 11));
        await using var b = await KestrelGrpcServer.StartAsync(new FakeProber("b", 22));
        await using var c = await KestrelGrpcServer.StartAsync(new FakeProber("c", 33));
        using var meters = new TestMeters();
        using var channel = GrpcChannel.ForAddresses([a.Address, b.Address, c.Address]);
        var fanOut = new ProbeFanOut(channel, meters.Metrics);

        var outcomes = await fanOut.ProbeAsync(Request, Roomy, CancellationToken.None);

        Assert.Equal([a.Address, b.Address, c.Address], outcomes.Select(o => o.Address));
        Assert.All(outcomes, o => Assert.Equal(StatusCode.OK, o.Status.StatusCode));
        Assert.Equal(["a", "b", "c"], outcomes.Select(o => o.Reply!.Replica));
        Assert.Equal([11.0, 22.0, 33.0], outcomes.Select(o => o.Reply!.AverageLatencyMs));

        foreach (var outcome in outcomes)
        {
            Assert.Equal(1, meters.Recorder.Sum("runner.probe.calls", ("replica", outcome.Replica), ("status", "OK")));
            var duration = Assert.Single(meters.Recorder.Of("runner.probe.call.duration"), m => m.Tags["replica"] == outcome.Replica);
            Assert.Equal("ms", duration.Unit);
            Assert.Equal(outcome.Duration.TotalMilliseconds, duration.Value);
        }
        Assert.Equal("{call}", meters.Recorder.Of("runner.probe.calls")[0].Unit);
    }

    [Fact]
    public async Task A_replica_stopped_mid_run_is_UNAVAILABLE_the_others_answer_and_the_next_round_still_works()
    {
        await using var a = await KestrelGrpcServer.StartAsync(new FakeProber("a"));
        await using var b = await KestrelGrpcServer.StartAsync(new FakeProber("b"));
        await using var c = await KestrelGrpcServer.StartAsync(new FakeProber("c"));
        using var meters = new TestMeters();
        using var channel = GrpcChannel.ForAddresses([a.Address, b.Address, c.Address]);
        var fanOut = new ProbeFanOut(channel, meters.Metrics);

        var before = await fanOut.ProbeAsync(Request, Roomy, CancellationToken.None);
        Assert.All(before, o => Assert.True(o.IsSuccess, o.ToString()));

        await b.StopAsync();
        for (var round = 0; round < 2; round++)
        {
            var after = await fanOut.ProbeAsync(Request, Roomy, CancellationToken.None);
            Assert.Equal([StatusCode.OK, StatusCode.Unavailable, StatusCode.OK], after.Select(o => o.Status.StatusCode));
            Assert.Null(after[1].Reply);
            Assert.Equal(["a", "c"], after.Where(o => o.IsSuccess).Select(o => o.Reply!.Replica));
        }
        var stopped = ReplicaOutcome.NameOf(b.Address);
        Assert.Equal(2, meters.Recorder.Sum("runner.probe.calls", ("replica", stopped), ("status", "UNAVAILABLE")));
        Assert.Equal(3, meters.Recorder.Sum("runner.probe.calls", ("replica", ReplicaOutcome.NameOf(a.Address)), ("status", "OK")));
    }

    [Fact]
    public async Task A_slow_replica_gets_DEADLINE_EXCEEDED_within_the_deadline_and_does_not_hold_up_the_others()
    {
        var deadline = TimeSpan.FromMilliseconds(300);
        await using var fast1 = await KestrelGrpcServer.StartAsync(new FakeProber("fast1"));
        await using var slow = await KestrelGrpcServer.StartAsync(new FakeProber("slow") { Delay = TimeSpan.FromSeconds(10) });
        await using var fast2 = await KestrelGrpcServer.StartAsync(new FakeProber("fast2"));
        using var meters = new TestMeters();
        using var channel = GrpcChannel.ForAddresses([fast1.Address, slow.Address, fast2.Address]);
        var fanOut = new ProbeFanOut(channel, meters.Metrics);
        // Warm up the call path (JIT, connections) through the fast replicas only, so the timing below is the deadline's.
        using (var warm = GrpcChannel.ForAddresses([fast1.Address, fast2.Address]))
        {
            Assert.All(await new ProbeFanOut(warm).ProbeAsync(Request, Roomy, CancellationToken.None), o => Assert.True(o.IsSuccess));
        }

        var started = Stopwatch.GetTimestamp();
        var outcomes = await fanOut.ProbeAsync(Request, deadline, CancellationToken.None);
        var elapsed = Stopwatch.GetElapsedTime(started);

        Assert.Equal([StatusCode.OK, StatusCode.DeadlineExceeded, StatusCode.OK], outcomes.Select(o => o.Status.StatusCode));
        Assert.InRange(outcomes[1].Duration, deadline - TimeSpan.FromMilliseconds(20), deadline + TimeSpan.FromMilliseconds(700));
        Assert.InRange(elapsed, TimeSpan.Zero, deadline + TimeSpan.FromMilliseconds(700));
        Assert.Equal(1, meters.Recorder.Sum("runner.probe.calls", ("replica", ReplicaOutcome.NameOf(slow.Address)), ("status", "DEADLINE_EXCEEDED")));
    }

    [Fact]
    public async Task Without_configured_replicas_the_fan_out_says_what_to_set()
    {
        var configuration = new ConfigurationBuilder().Build();
        using var meters = new TestMeters();
        using var channels = new GrpcChannels(configuration, new OptionsMonitorStub(), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        var fanOut = new ProbeFanOut(channels, configuration, meters.Metrics);

        Assert.Empty(fanOut.Replicas);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => fanOut.ProbeAsync(Request, Roomy, CancellationToken.None));
        Assert.Contains("services__prober__grpc__0", error.Message);
    }

    private sealed class OptionsMonitorStub : Microsoft.Extensions.Options.IOptionsMonitor<GrpcChannelOptions>
    {
        public GrpcChannelOptions CurrentValue => new();
        public GrpcChannelOptions Get(string? name) => new();
        public IDisposable? OnChange(Action<GrpcChannelOptions, string?> listener) => null;
    }
}
