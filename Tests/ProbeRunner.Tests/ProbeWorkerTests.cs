using AspireProber.ProbeRunner.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AspireProber.ProbeRunner.Tests;

public class ProbeWorkerTests
{
    [Fact]
    public async Task Each_round_logs_one_structured_summary_per_target_and_a_down_replica_does_not_stop_the_loop()
    {
        await using var a = await KestrelGrpcServer.StartAsync(new FakeProber("a", 12.5));
        await using var b = await KestrelGrpcServer.StartAsync(new FakeProber("b", 7));
        var down = await KestrelGrpcServer.StartAsync(new FakeProber("down"));
        await down.StopAsync();
        using var meters = new TestMeters();
        await using var replicas = new ProberReplicas(a.Address, down.Address, b.Address);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("services:probetarget:http:0", "http://127.0.0.1:9")]).Build();
        var options = Options.Create(new RunnerOptions
        {
            Interval = TimeSpan.FromMilliseconds(100),
            ProbeDeadline = TimeSpan.FromSeconds(10),
            // The down replica never serves: the first round starts once this grace has passed.
            StartupGrace = TimeSpan.FromMilliseconds(300),
            Targets = ["/fast", "http://127.0.0.1:9/slow?ms=50"],
        });
        var logger = new CapturingLogger<ProbeWorker>();
        using var worker = new ProbeWorker(replicas.FanOut(meters), options, configuration, logger);

        await worker.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => Rounds(logger).Count >= 6, "three rounds were logged");
        await worker.StopAsync(CancellationToken.None);

        var rounds = Rounds(logger);
        // One summary per target per round (the last round may have been stopped between its two targets).
        var perTarget = rounds.GroupBy(r => (string)r.State["Target"]!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(["http://127.0.0.1:9/fast", "http://127.0.0.1:9/slow?ms=50"], perTarget.Keys.Order());
        Assert.InRange(Math.Abs(perTarget.Values.First() - perTarget.Values.Last()), 0, 1);
        Assert.All(rounds, round =>
        {
            Assert.Equal(LogLevel.Warning, round.Level);
            Assert.Equal(2, round.State["ReplicasOk"]);
            Assert.Equal(1, round.State["ReplicasFailed"]);
            Assert.Equal($"{Name(a)}=12.5ms (3/3 ok), {Name(down)}=UNAVAILABLE, {Name(b)}=7.0ms (3/3 ok)", round.State["ReplicaLatencies"]);
        });
        Assert.True(meters.Recorder.Sum("runner.probe.calls", ("replica", Name(down)), ("status", "UNAVAILABLE")) >= 6);
    }

    private static List<CapturingLogger<ProbeWorker>.Entry> Rounds(CapturingLogger<ProbeWorker> logger) =>
        logger.Entries.Where(e => e.State.ContainsKey("Target") && e.State.ContainsKey("ReplicasOk")).ToList();

    private static string Name(KestrelGrpcServer server) => ReplicaOutcome.NameOf(server.Address);
}
