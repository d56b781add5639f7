using AspireProber.Prober.V1;
using AspireProber.ProberService.Tests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using static AspireProber.ProberService.Tests.Infrastructure.TestUtil;

namespace AspireProber.ProberService.Tests;

/// <summary>Probes of a real ProbeTarget through a real prober, over gRPC on loopback.</summary>
public sealed class ProbeTests
{
    [Fact]
    public async Task Status_404_is_a_successful_rpc_counting_failed_attempts_by_status()
    {
        await using var target = await TargetHost.StartAsync();
        await using var prober = await ProberHost.StartAsync();

        var reply = await prober.Client.ProbeAsync(new ProbeRequest { Endpoint = target.Url("/status/404"), Repetitions = 3 });

        Assert.Equal(0, reply.SuccessCount);
        Assert.Equal(3, reply.FailureCount);
        Assert.Equal(3, reply.StatusCodeCounts[404]);
        Assert.Single(reply.StatusCodeCounts);
        Assert.Equal(["status 404"], reply.FailureReasons);
        Assert.True(reply.AverageLatencyMs > 0, "a 404 is still a response with a latency");
    }

    [Fact]
    public async Task Accepted_status_codes_replace_the_2xx_default()
    {
        await using var target = await TargetHost.StartAsync();
        await using var prober = await ProberHost.StartAsync();

        var request = new ProbeRequest { Endpoint = target.Url("/status/404"), Repetitions = 2, AcceptedStatusCodes = { 404 } };
        var reply = await prober.Client.ProbeAsync(request);
        Assert.Equal(2, reply.SuccessCount);

        var ok = await prober.Client.ProbeAsync(new ProbeRequest { Endpoint = target.Url("/fast"), Repetitions = 1, AcceptedStatusCodes = { 404 } });
        Assert.Equal(1, ok.FailureCount);
        Assert.Equal(["status 200"], ok.FailureReasons);
    }

    [Fact]
    public async Task Refused_connection_is_an_attempt_failure_not_an_rpc_error()
    {
        int closedPort;
        await using (var gone = await TargetHost.StartAsync())
        {
            closedPort = gone.Address.Port;
        }
        await using var prober = await ProberHost.StartAsync();

        var reply = await prober.Client.ProbeAsync(new ProbeRequest { Endpoint = $"http://127.0.0.1:{closedPort}/fast", Repetitions = 2 });

        Assert.Equal(2, reply.FailureCount);
        Assert.Empty(reply.StatusCodeCounts);
        Assert.Equal(["connection refused"], reply.FailureReasons);
        Assert.Equal(0, reply.AverageLatencyMs);
    }

    [Fact]
    public async Task Redirects_are_followed_to_the_final_status()
    {
        await using var target = await TargetHost.StartAsync();
        await using var prober = await ProberHost.StartAsync();

        var reply = await prober.Client.ProbeAsync(new ProbeRequest { Endpoint = target.Url("/redirect?to=/status/418"), Repetitions = 1 });

        Assert.Equal(1, reply.StatusCodeCounts[418]);
        Assert.Equal(["status 418"], reply.FailureReasons);
    }

    [Fact]
    public async Task Head_reads_no_body_and_get_reads_all_of_it()
    {
        await using var target = await TargetHost.StartAsync();
        await using var prober = await ProberHost.StartAsync();

        var get = await prober.Client.ProbeStream(new ProbeRequest { Endpoint = target.Url("/bytes?size=100000"), Repetitions = 1 })
            .ResponseStream.ReadAllAsync().SingleAsync().AsTask().Within();
        var head = await prober.Client.ProbeStream(new ProbeRequest { Endpoint = target.Url("/bytes?size=100000"), Repetitions = 1, Method = Prober.V1.HttpMethod.Head })
            .ResponseStream.ReadAllAsync().SingleAsync().AsTask().Within();

        Assert.Equal(100_000, get.BodyBytes);
        Assert.True(head.Success);
        Assert.Equal(0, head.BodyBytes);
    }

    [Fact]
    public async Task ProbeStream_yields_every_attempt_in_order()
    {
        await using var target = await TargetHost.StartAsync();
        await using var prober = await ProberHost.StartAsync();

        using var call = prober.Client.ProbeStream(new ProbeRequest
        {
            Endpoint = target.Url("/flaky?failure_rate=0.5"),
            Repetitions = 20,
            // 20 × 1 s fits the server's bound per probe (30 s); 20 × the default 5 s would not.
            AttemptTimeout = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(1)),
        });
        var attempts = await call.ResponseStream.ReadAllAsync().ToListAsync().AsTask().Within();

        Assert.Equal(Enumerable.Range(1, 20), attempts.Select(a => a.Attempt));
        Assert.All(attempts, a => Assert.Equal(a.StatusCode == 200, a.Success));
        Assert.All(attempts, a => Assert.Contains(a.StatusCode, new[] { 200, 500 }));
        Assert.Contains(attempts, a => !a.Success);   // with the fixed seed, 20 coin flips include both sides
        Assert.Contains(attempts, a => a.Success);
        Assert.All(attempts, a => Assert.False(string.IsNullOrEmpty(a.Replica)));
    }

    [Theory]
    [InlineData(ConnectionMode.Fresh, 4)]
    [InlineData(ConnectionMode.Unspecified, 4)]
    [InlineData(ConnectionMode.Reuse, 1)]
    public async Task Connection_mode_decides_how_many_connections_a_probe_opens(ConnectionMode mode, int expectedConnections)
    {
        await using var target = await TargetHost.StartAsync();
        await using var prober = await ProberHost.StartAsync();
        var before = target.Activity.ConnectionsAccepted;

        var reply = await prober.Client.ProbeAsync(new ProbeRequest { Endpoint = target.Url("/fast"), Repetitions = 4, ConnectionMode = mode });

        Assert.Equal(4, reply.SuccessCount);
        Assert.Equal(expectedConnections, target.Activity.ConnectionsAccepted - before);
    }

    [Fact]
    public async Task Replica_is_the_service_instance_id_from_the_resource_attributes()
    {
        await using var target = await TargetHost.StartAsync();
        await using var prober = await ProberHost.StartAsync(Setting("OTEL_RESOURCE_ATTRIBUTES", "service.name=prober,service.instance.id=prober-2"));

        var reply = await prober.Client.ProbeAsync(new ProbeRequest { Endpoint = target.Url("/fast"), Repetitions = 1 });

        Assert.Equal("prober-2", reply.Replica);
    }
}
