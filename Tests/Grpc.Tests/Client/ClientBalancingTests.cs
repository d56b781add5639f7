using AspireProber.Grpc.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;
using Grpc.Net.Client.Internal;

namespace AspireProber.Grpc.Tests.Client;

/// <summary>A channel over several replicas: per-call balancing, skipping a dead replica, and fan-out.</summary>
public sealed class ClientBalancingTests
{
    [Fact]
    public async Task Round_robin_spreads_calls_over_every_address()
    {
        await using var replicas = await Replicas.StartAsync(3);
        using var channel = GrpcChannel.ForAddresses(replicas.Addresses);
        var invoker = channel.CreateCallInvoker();

        for (var i = 0; i < 9; i++)
        {
            await invoker.AsyncUnaryCall(TestService.Unary, null, default, "m").ResponseAsync.Within();
        }

        Assert.Equal([3, 3, 3], replicas.CallCounts);
    }

    [Fact]
    public async Task Pick_first_sends_every_call_to_the_first_address()
    {
        await using var replicas = await Replicas.StartAsync(2);
        using var channel = GrpcChannel.ForAddresses(replicas.Addresses,
            new GrpcChannelOptions { ServiceConfig = new ServiceConfig { LoadBalancingPolicy = LoadBalancingPolicy.PickFirst } });

        for (var i = 0; i < 4; i++)
        {
            await channel.CreateCallInvoker().AsyncUnaryCall(TestService.Unary, null, default, "m").ResponseAsync.Within();
        }

        Assert.Equal([4, 0], replicas.CallCounts);
    }

    [Fact]
    public async Task A_stopped_replica_is_skipped_and_every_call_still_succeeds()
    {
        await using var replicas = await Replicas.StartAsync(3);
        using var channel = GrpcChannel.ForAddresses(replicas.Addresses, new GrpcChannelOptions { UnavailableAddressBackoff = TimeSpan.FromMinutes(1) });
        var invoker = channel.CreateCallInvoker();
        var stopped = replicas.Addresses[1];
        for (var i = 0; i < 3; i++)
        {
            await invoker.AsyncUnaryCall(TestService.Unary, null, default, "warm-up").ResponseAsync.Within();
        }
        // The channel holds a live connection to the replica when it goes away.
        await replicas.StopAsync(1);

        for (var i = 0; i < 12; i++)
        {
            Assert.Equal("m", await invoker.AsyncUnaryCall(TestService.Unary, null, default, "m").ResponseAsync.Within());
        }

        Assert.True(channel.Balancer.IsSkipped(stopped));
        Assert.Equal(1, replicas.CallCounts[1]);
        Assert.Equal(14, replicas.CallCounts[0] + replicas.CallCounts[2]);
        Assert.True(replicas.CallCounts[0] >= 5 && replicas.CallCounts[2] >= 5, $"calls: {string.Join(",", replicas.CallCounts)}");
    }

    [Fact]
    public async Task Every_address_down_is_UNAVAILABLE_naming_them()
    {
        var dead = new[] { ClientTestServers.DeadAddress(), ClientTestServers.DeadAddress() };
        using var channel = GrpcChannel.ForAddresses(dead);

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.CreateCallInvoker().AsyncUnaryCall(TestService.Unary, null, default, "m").ResponseAsync.Within());

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains(dead[0].ToString(), error.Status.Detail);
        Assert.Contains(dead[1].ToString(), error.Status.Detail);
    }

    [Fact]
    public void A_skipped_address_is_tried_again_after_the_backoff()
    {
        var a = new Uri("http://127.0.0.1:1");
        var b = new Uri("http://127.0.0.1:2");
        var balancer = new AddressBalancer([a, b], LoadBalancingPolicy.RoundRobin, TimeSpan.FromMilliseconds(200));

        balancer.ReportConnectFailure(a, "Connection refused");
        var whileSkipped = Enumerable.Range(0, 4).Select(_ => balancer.Pick([])).ToList();
        Thread.Sleep(300);
        var afterBackoff = Enumerable.Range(0, 4).Select(_ => balancer.Pick([])).ToList();

        Assert.All(whileSkipped, picked => Assert.Equal(b, picked));
        Assert.Contains(a, afterBackoff);
        Assert.Null(balancer.Pick([a, b])); // both already tried by this call
    }

    [Fact]
    public async Task Fan_out_returns_one_result_per_address_including_the_dead_ones_UNAVAILABLE()
    {
        await using var replicas = await Replicas.StartAsync(2);
        var dead = ClientTestServers.DeadAddress();
        using var channel = GrpcChannel.ForAddresses([replicas.Addresses[0], dead, replicas.Addresses[1]]);

        var results = await channel.FanOutAsync((invoker, ct) =>
            invoker.AsyncUnaryCall(TestService.Unary, null, new CallOptions(cancellationToken: ct), "probe").ResponseAsync).Within();

        Assert.Equal([replicas.Addresses[0], dead, replicas.Addresses[1]], results.Select(r => r.Address));
        Assert.True(results[0].IsSuccess);
        Assert.Equal("probe", results[0].Response);
        Assert.Equal(StatusCode.Unavailable, results[1].Status.StatusCode);
        Assert.Contains(dead.ToString(), results[1].Error!.Status.Detail);
        Assert.True(results[2].IsSuccess);
        Assert.Equal([1, 1], replicas.CallCounts);
    }

    /// <summary>Several servers, each counting the calls it served.</summary>
    private sealed class Replicas : IAsyncDisposable
    {
        private readonly GrpcTestServer?[] _servers;
        private readonly int[] _counts;

        private Replicas(GrpcTestServer[] servers, int[] counts)
        {
            _servers = servers;
            _counts = counts;
            Addresses = servers.Select(s => s.Address).ToArray();
        }

        public Uri[] Addresses { get; }

        public int[] CallCounts => _counts.Select((_, i) => Volatile.Read(ref _counts[i])).ToArray();

        public static async Task<Replicas> StartAsync(int count)
        {
            var counts = new int[count];
            var servers = new GrpcTestServer[count];
            for (var i = 0; i < count; i++)
            {
                var index = i;
                servers[i] = await ClientTestServers.StartAsync(new TestHandlers
                {
                    Unary = (request, _) =>
                    {
                        Interlocked.Increment(ref counts[index]);
                        return Task.FromResult(request);
                    },
                });
            }
            return new Replicas(servers, counts);
        }

        public async Task StopAsync(int index)
        {
            await _servers[index]!.DisposeAsync();
            _servers[index] = null;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var server in _servers)
            {
                if (server is not null)
                {
                    await server.DisposeAsync();
                }
            }
        }
    }
}
