using Aspire.Hosting.Testing;
using AspireProber.Prober.V1;
using AspireProber.Runner.V1;
using Grpc.Core;

namespace AspireProber.AppHost.Tests;

/// <summary>The runner reaches each prober replica on its own address, through the real AppHost under DCP.</summary>
[Collection(SystemCollection.Name)]
public sealed class ProberReplicaTests(SystemFixture system)
{
    private const int Replicas = 3;

    private ProbeRequest FastProbe() => RunningApp.FastProbe(system.App);

    [Fact]
    public async Task Thirty_ProbeAny_calls_through_the_runners_balanced_channel_land_5_to_15_on_each_replica()
    {
        var runner = new Runner.V1.Runner.RunnerClient(system.RunnerChannel);
        var answeredBy = new List<string>();
        for (var call = 0; call < 10 * Replicas; call++)
        {
            // Each replica names itself in its reply (the service.instance.id Aspire gives it).
            answeredBy.Add((await runner.ProbeAnyAsync(FastProbe(), deadline: DateTime.UtcNow.AddSeconds(30))).Replica);
        }

        var perReplica = answeredBy.GroupBy(r => r).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(perReplica.Count == Replicas, $"Answered by: {string.Join(", ", perReplica.Select(p => $"{p.Key} ×{p.Value}"))}");
        Assert.All(perReplica.Values, count => Assert.InRange(count, 5, 15));
    }

    [Fact]
    public async Task ProbeAll_answers_OK_from_every_replica_under_its_own_address()
    {
        var runner = new Runner.V1.Runner.RunnerClient(system.RunnerChannel);

        var reply = await runner.ProbeAllAsync(new ProbeAllRequest { Probe = FastProbe() }, deadline: DateTime.UtcNow.AddSeconds(30));

        Assert.Equal(Replicas, reply.Results.Select(r => r.Address).Distinct().Count());
        Assert.All(reply.Results, r => Assert.Equal(StatusCode.OK, (StatusCode)r.StatusCode));
        // Not DCP's proxy port (the one address WithReference would give): each replica's own.
        var proxy = system.App.GetEndpoint("prober", "grpc").Authority;
        Assert.DoesNotContain(reply.Results, r => new Uri(r.Address).Authority == proxy);
    }
}
