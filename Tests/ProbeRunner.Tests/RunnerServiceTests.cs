using AspireProber.Prober.V1;
using AspireProber.ProbeRunner.Tests.Infrastructure;
using AspireProber.Runner.V1;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;

namespace AspireProber.ProbeRunner.Tests;

public class RunnerServiceTests
{
    private static readonly ProbeRequest Probe = new() { Endpoint = "http://127.0.0.1:9/fast", Repetitions = 2 };

    [Fact]
    public async Task ProbeAll_returns_each_replica_s_answer_in_address_order_and_the_error_of_one_that_is_down()
    {
        await using var a = await KestrelGrpcServer.StartAsync(new FakeProber("a", 11));
        await using var b = await KestrelGrpcServer.StartAsync(new FakeProber("b", 22));
        await using var c = await KestrelGrpcServer.StartAsync(new FakeProber("c", 33));
        await using var runner = await RunnerApp.StartAsync(ProberAddresses(a, b, c));
        using var channel = GrpcChannel.ForAddress(runner.GrpcAddress);
        var client = new Runner.V1.Runner.RunnerClient(channel);

        var reply = await client.ProbeAllAsync(new ProbeAllRequest { Probe = Probe, Deadline = Duration.FromTimeSpan(TimeSpan.FromSeconds(10)) });

        Assert.Equal([Name(a), Name(b), Name(c)], reply.Results.Select(r => r.Address));
        Assert.All(reply.Results, r => Assert.Equal(0, r.StatusCode));
        Assert.Equal(["a", "b", "c"], reply.Results.Select(r => r.Reply.Replica));
        Assert.Equal([11.0, 22.0, 33.0], reply.Results.Select(r => r.Reply.AverageLatencyMs));
        Assert.All(reply.Results, r => Assert.True(r.CallLatencyMs > 0));

        await b.StopAsync();
        reply = await client.ProbeAllAsync(new ProbeAllRequest { Probe = Probe, Deadline = Duration.FromTimeSpan(TimeSpan.FromSeconds(10)) });

        Assert.Equal([(int)StatusCode.OK, (int)StatusCode.Unavailable, (int)StatusCode.OK], reply.Results.Select(r => r.StatusCode));
        Assert.Null(reply.Results[1].Reply);
        Assert.NotEmpty(reply.Results[1].StatusMessage);
    }

    [Fact]
    public async Task With_a_prober_api_key_every_call_to_a_replica_carries_it_and_without_one_none_does()
    {
        var keyed = new FakeProber("keyed");
        var open = new FakeProber("open");
        await using var keyedServer = await KestrelGrpcServer.StartAsync(keyed);
        await using var openServer = await KestrelGrpcServer.StartAsync(open);
        await using var withKey = await RunnerApp.StartAsync([.. ProberAddresses(keyedServer), ("Runner:ProberApiKey", "s3cret"), ("Runner:Targets:0", "http://127.0.0.1:9/fast")]);
        await using var withoutKey = await RunnerApp.StartAsync([.. ProberAddresses(openServer), ("Runner:Targets:0", "http://127.0.0.1:9/fast")]);

        foreach (var runner in new[] { withKey, withoutKey })
        {
            using var channel = GrpcChannel.ForAddress(runner.GrpcAddress);
            var client = new Runner.V1.Runner.RunnerClient(channel);
            await client.ProbeAnyAsync(Probe, deadline: DateTime.UtcNow.AddSeconds(10));
            await client.ProbeAllAsync(new ProbeAllRequest { Probe = Probe }, deadline: DateTime.UtcNow.AddSeconds(10));
        }
        // ProbeAny (the balanced client), ProbeAll and the worker's rounds (the fan-out's channels) alike.
        await Eventually.TrueAsync(() => keyed.Requests.Count >= 3 && open.Requests.Count >= 3, "each replica was called by ProbeAny, ProbeAll and a round");
        Assert.All(keyed.Authorizations, header => Assert.Equal("Bearer s3cret", header));
        Assert.All(open.Authorizations, Assert.Null);
    }

    [Fact]
    public async Task A_caller_runs_at_most_its_share_of_calls_at_once_while_another_caller_is_served()
    {
        var prober = new FakeProber("a") { Delay = TimeSpan.FromSeconds(2) };
        await using var a = await KestrelGrpcServer.StartAsync(prober);
        await using var runner = await RunnerApp.StartAsync([.. ProberAddresses(a), ("Runner:MaxConcurrentCallsPerCaller", "2")]);
        using var channel = GrpcChannel.ForAddress(runner.GrpcAddress);
        var client = new Runner.V1.Runner.RunnerClient(channel);
        using var otherChannel = GrpcChannel.ForAddress(runner.GrpcAddress, new GrpcChannelOptions { HttpHandler = AspireProber.Tests.Shared.SourceAddress.Handler(System.Net.IPAddress.Parse("127.0.0.2")) });
        var other = new Runner.V1.Runner.RunnerClient(otherChannel);

        Task[] held = [client.ProbeAnyAsync(Probe).ResponseAsync, client.ProbeAllAsync(new ProbeAllRequest { Probe = Probe, Deadline = Duration.FromTimeSpan(TimeSpan.FromSeconds(10)) }).ResponseAsync];
        await Eventually.TrueAsync(() => prober.Requests.Count == 2, "both calls reached the prober");

        var refused = await Assert.ThrowsAsync<RpcException>(() => client.ProbeAnyAsync(Probe).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Equal("CALLER_LIMIT", refused.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason);
        Assert.Contains("Runner:MaxConcurrentCallsPerCaller", refused.Status.Detail);
        Assert.Equal("a", (await other.ProbeAnyAsync(Probe, deadline: DateTime.UtcNow.AddSeconds(10))).Replica);
        await Task.WhenAll(held);
        Assert.Equal("a", (await client.ProbeAnyAsync(Probe, deadline: DateTime.UtcNow.AddSeconds(10))).Replica);
    }

    [Fact]
    public async Task ProbeAny_tries_another_replica_when_one_is_RESOURCE_EXHAUSTED()
    {
        var busy = new FakeProber("busy") { Refuse = StatusCode.ResourceExhausted };
        await using var a = await KestrelGrpcServer.StartAsync(busy);
        await using var b = await KestrelGrpcServer.StartAsync(new FakeProber("free"));
        await using var runner = await RunnerApp.StartAsync(ProberAddresses(a, b));
        using var channel = GrpcChannel.ForAddress(runner.GrpcAddress);
        var client = new Runner.V1.Runner.RunnerClient(channel);

        var replicas = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            replicas.Add((await client.ProbeAnyAsync(Probe, deadline: DateTime.UtcNow.AddSeconds(10))).Replica);
        }

        // Every call succeeded on the free replica, and the busy one was asked (and retried away from) along the way.
        Assert.All(replicas, replica => Assert.Equal("free", replica));
        Assert.NotEmpty(busy.Requests);
    }

    [Fact]
    public async Task ProbeAny_balances_per_call_over_every_replica_and_goes_around_one_that_is_down()
    {
        await using var a = await KestrelGrpcServer.StartAsync(new FakeProber("a"));
        await using var b = await KestrelGrpcServer.StartAsync(new FakeProber("b"));
        await using var c = await KestrelGrpcServer.StartAsync(new FakeProber("c"));
        await using var runner = await RunnerApp.StartAsync(ProberAddresses(a, b, c));
        using var channel = GrpcChannel.ForAddress(runner.GrpcAddress);
        var client = new Runner.V1.Runner.RunnerClient(channel);

        var replicas = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            replicas.Add((await client.ProbeAnyAsync(Probe, deadline: DateTime.UtcNow.AddSeconds(10))).Replica);
        }
        // Round-robin over the replicas that are connected: exactly 10 each once all three are, a few off while the
        // first connections come up.
        var spread = replicas.CountBy(r => r).ToDictionary();
        Assert.Equal(["a", "b", "c"], spread.Keys.Order());
        Assert.All(spread.Values, count => Assert.InRange(count, 5, 15));

        await b.StopAsync();
        replicas.Clear();
        for (var i = 0; i < 10; i++)
        {
            replicas.Add((await client.ProbeAnyAsync(Probe, deadline: DateTime.UtcNow.AddSeconds(10))).Replica);
        }
        // The stopped replica's subchannel leaves the picker (or a call that raced it is retried on another).
        Assert.Equal(["a", "c"], replicas.Distinct().Order());
    }

    [Fact]
    public async Task ProbeAll_without_a_deadline_uses_the_configured_one()
    {
        await using var slow = await KestrelGrpcServer.StartAsync(new FakeProber("slow") { Delay = TimeSpan.FromSeconds(10) });
        await using var runner = await RunnerApp.StartAsync([.. ProberAddresses(slow), ("Runner:ProbeDeadline", "00:00:00.300")]);
        var client = new Runner.V1.Runner.RunnerClient(GrpcChannel.ForAddress(runner.GrpcAddress));

        var reply = await client.ProbeAllAsync(new ProbeAllRequest { Probe = Probe });

        var result = Assert.Single(reply.Results);
        Assert.Equal((int)StatusCode.DeadlineExceeded, result.StatusCode);
        Assert.InRange(result.CallLatencyMs, 280, 1500);
    }

    [Fact]
    public async Task ProbeAll_with_bad_input_is_INVALID_ARGUMENT_naming_each_field()
    {
        var prober = new FakeProber("a");
        await using var a = await KestrelGrpcServer.StartAsync(prober);
        await using var runner = await RunnerApp.StartAsync(ProberAddresses(a));
        var client = new Runner.V1.Runner.RunnerClient(GrpcChannel.ForAddress(runner.GrpcAddress));

        var error = await Assert.ThrowsAsync<RpcException>(() => client.ProbeAllAsync(new ProbeAllRequest
        {
            Probe = new ProbeRequest { Endpoint = "/relative", Repetitions = 0 },
            Deadline = Duration.FromTimeSpan(TimeSpan.FromSeconds(-1)),
        }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var badRequest = error.GetRpcStatus()?.GetDetail<BadRequest>();
        Assert.NotNull(badRequest);
        Assert.Equal(["probe.endpoint", "probe.repetitions", "deadline"], badRequest.FieldViolations.Select(v => v.Field));

        error = await Assert.ThrowsAsync<RpcException>(() => client.ProbeAllAsync(new ProbeAllRequest()).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("probe", Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations).Field);
        Assert.Empty(prober.Requests);
    }

    [Theory]
    [InlineData(1, -5)]                 // not normalized: nanos of a positive duration must not be negative
    [InlineData(1, 1_000_000_000)]      // nanos past a second
    [InlineData(1_000_000_000_000_000, 0)]  // beyond TimeSpan
    [InlineData(long.MaxValue, 0)]
    public async Task ProbeAll_with_a_malformed_deadline_is_INVALID_ARGUMENT_not_UNKNOWN(long seconds, int nanos)
    {
        var prober = new FakeProber("a");
        await using var a = await KestrelGrpcServer.StartAsync(prober);
        await using var runner = await RunnerApp.StartAsync(ProberAddresses(a));
        var client = new Runner.V1.Runner.RunnerClient(GrpcChannel.ForAddress(runner.GrpcAddress));

        var error = await Assert.ThrowsAsync<RpcException>(() => client.ProbeAllAsync(new ProbeAllRequest
        {
            Probe = Probe,
            Deadline = new Duration { Seconds = seconds, Nanos = nanos },
        }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("deadline", Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations).Field);
        Assert.Contains($"got seconds = {seconds}, nanos = {nanos}", error.Status.Detail);
        Assert.Empty(prober.Requests);
    }

    [Fact]
    public async Task The_worker_probes_every_target_through_every_replica_each_interval_and_keeps_going_when_one_is_down()
    {
        var a = new FakeProber("a");
        var b = new FakeProber("b");
        await using var serverA = await KestrelGrpcServer.StartAsync(a);
        await using var serverB = await KestrelGrpcServer.StartAsync(b);
        await using var runner = await RunnerApp.StartAsync(
        [
            .. ProberAddresses(serverA, serverB),
            ("services:probetarget:http:0", "http://127.0.0.1:9"),
            ("Runner:Targets:0", "/fast"),
            ("Runner:Targets:1", "http://example.test/slow?ms=50"),
            ("Runner:Interval", "00:00:00.100"),
            ("Runner:ProbeDeadline", "00:00:05"),
        ]);

        await Eventually.TrueAsync(() => a.Requests.Count >= 4 && b.Requests.Count >= 4, "both replicas were probed for two rounds");
        Assert.Equal(["http://127.0.0.1:9/fast", "http://example.test/slow?ms=50"], a.Requests.Select(r => r.Endpoint).Distinct().Order());

        await serverB.StopAsync();
        var seen = a.Requests.Count;
        await Eventually.TrueAsync(() => a.Requests.Count >= seen + 4, "replica a kept being probed after b went down");
    }

    private static (string, string)[] ProberAddresses(params KestrelGrpcServer[] servers) =>
        servers.Select((s, i) => ($"services:prober:grpc:{i}", s.Address.ToString())).ToArray();

    private static string Name(KestrelGrpcServer server) => ReplicaOutcome.NameOf(server.Address);
}
