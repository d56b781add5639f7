using System.Diagnostics;
using AspireProber.Prober.V1;
using AspireProber.ProbeRunner.Tests.Infrastructure;
using Grpc.Core;

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
        await using var replicas = new ProberReplicas(a.Address, b.Address, c.Address);
        var fanOut = replicas.FanOut(meters);

        var outcomes = await fanOut.ProbeAsync(Request, Roomy, CancellationToken.None);

        Assert.Equal([a.Address, b.Address, c.Address], outcomes.Select(o => o.Address));
        Assert.All(outcomes, o => Assert.Equal(StatusCode.OK, o.Status.StatusCode));
        Assert.Equal(["a", "b", "c"], outcomes.Select(o => o.Reply!.Replica));
        Assert.Equal([11.0, 22.0, 33.0], outcomes.Select(o => o.Reply!.AverageLatencyMs));

        foreach (var outcome in outcomes)
        {
            Assert.Equal(1, meters.Recorder.Sum("runner.probe.calls", ("replica", outcome.Replica), ("status", "OK")));
            var duration = Assert.Single(meters.Recorder.Of("runner.probe.call.duration"), m => m.Tags["replica"] == outcome.Replica);
            Assert.Equal("s", duration.Unit);
            Assert.Equal(outcome.Duration.TotalSeconds, duration.Value);
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
        await using var replicas = new ProberReplicas(a.Address, b.Address, c.Address);
        var fanOut = replicas.FanOut(meters);

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
        await using var replicas = new ProberReplicas(fast1.Address, slow.Address, fast2.Address);
        var fanOut = replicas.FanOut(meters);
        // Warm up the call path (JIT, connections) through the fast replicas, and the deadline's path (its timer, the
        // DEADLINE_EXCEEDED status and its first exception) once through the slow one, counted on meters of its own, so
        // the timing below is the deadline's and not a first call's on a loaded machine.
        await using (var warm = new ProberReplicas(fast1.Address, fast2.Address))
        {
            Assert.All(await warm.FanOut(meters).ProbeAsync(Request, Roomy, CancellationToken.None), o => Assert.True(o.IsSuccess));
        }
        await using (var warmSlow = new ProberReplicas(slow.Address))
        {
            using var warmMeters = new TestMeters();
            Assert.All(await warmSlow.FanOut(warmMeters).ProbeAsync(Request, deadline, CancellationToken.None),
                o => Assert.Equal(StatusCode.DeadlineExceeded, o.Status.StatusCode));
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
    public async Task Without_configured_replicas_the_fan_out_is_not_configured_and_the_runner_says_what_to_set()
    {
        await using var replicas = new ProberReplicas();
        using var meters = new TestMeters();
        Assert.False(replicas.FanOut(meters).IsConfigured);

        await using var runner = await RunnerApp.StartAsync();
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(runner.GrpcAddress);
        var error = await Assert.ThrowsAsync<RpcException>(() => new Runner.V1.Runner.RunnerClient(channel).ProbeAllAsync(new() { Probe = Request }).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("services__prober__grpc__0", error.Status.Detail);
    }
}
