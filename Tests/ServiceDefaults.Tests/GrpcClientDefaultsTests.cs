using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AspireProber.ServiceDefaults.Tests;

/// <summary>
/// Clients of a resource (AddServiceGrpcClient): every replica from services:{name}:grpc:{i} through service discovery,
/// round-robin per call, retries of UNAVAILABLE, a default deadline; and the per-replica channels of a fan-out.
/// </summary>
public sealed class GrpcClientDefaultsTests
{
    [Fact]
    public async Task Calls_are_balanced_per_call_over_every_replica()
    {
        var replicas = new[] { new FlakyHealth(failures: 0), new FlakyHealth(failures: 0), new FlakyHealth(failures: 0) };
        var apps = new List<WebApplication>();
        try
        {
            foreach (var replica in replicas)
            {
                apps.Add(await StartAsync(replica));
            }
            await using var services = ClientServices("flaky", apps.Select(app => app.Urls.Single()).ToArray());
            var client = services.GetRequiredService<Health.HealthClient>();

            for (var i = 0; i < 30; i++)
            {
                await client.CheckAsync(new HealthCheckRequest());
            }

            // Round-robin over the connected replicas: 10 each once all three are, a few off while they connect.
            Assert.All(replicas, replica => Assert.InRange(replica.Calls, 5, 15));
        }
        finally
        {
            foreach (var app in apps)
            {
                await app.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task UNAVAILABLE_is_retried_by_default_and_calls_get_the_default_deadline()
    {
        var server = new FlakyHealth(failures: 2);
        await using var app = await StartAsync(server);
        await using var services = ClientServices("flaky", app.Urls.Single());

        var reply = await services.GetRequiredService<Health.HealthClient>().CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
        Assert.Equal(3, server.Calls);
        var remaining = server.LastDeadline - DateTime.UtcNow;
        Assert.InRange(remaining, GrpcClientDefaults.DefaultDeadline - TimeSpan.FromSeconds(3), GrpcClientDefaults.DefaultDeadline);
    }

    [Fact]
    public async Task A_client_of_a_resource_without_addresses_fails_UNAVAILABLE_saying_which_variable_to_set()
    {
        await using var services = ClientServices("prober");

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            services.GetRequiredService<Health.HealthClient>().CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(5)).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("services__prober__grpc__0", error.Status.Detail);
    }

    [Fact]
    public async Task Replica_addresses_come_in_replica_order_from_the_environment_variables_the_AppHost_injects()
    {
        var service = "sdtest" + Guid.NewGuid().ToString("N");
        var prefix = $"services__{service}__grpc__";
        foreach (var i in new[] { 10, 2, 0, 1 })
        {
            Environment.SetEnvironmentVariable(prefix + i, $"http://replica-{i}.test");
        }
        Environment.SetEnvironmentVariable($"services__{service}__http__0", "http://http-endpoint.test");
        try
        {
            await using var services = new ServiceCollection()
                .AddLogging()
                .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddEnvironmentVariables().Build())
                .AddServiceDiscovery()
                .AddSingleton<ReplicaChannels>()
                .BuildServiceProvider();
            var channels = services.GetRequiredService<ReplicaChannels>();

            Assert.True(channels.IsConfigured(service));
            Assert.False(channels.IsConfigured("stock"));
            var addresses = await channels.GetReplicaAddressesAsync(service, CancellationToken.None);
            Assert.Equal(["replica-0.test", "replica-1.test", "replica-2.test", "replica-10.test"], addresses.Select(uri => uri.Host));
            Assert.Same(channels.Get(service, addresses[0]), channels.Get(service, new Uri("http://replica-0.test/")));
        }
        finally
        {
            foreach (var i in new[] { 10, 2, 0, 1 })
            {
                Environment.SetEnvironmentVariable(prefix + i, null);
            }
            Environment.SetEnvironmentVariable($"services__{service}__http__0", null);
        }
    }

    [Fact]
    public async Task The_channel_of_a_replica_that_left_discovery_is_disposed_and_the_others_kept()
    {
        var replicas = new ReplicaConfiguration();
        replicas.Set("http://replica-0.test", "http://replica-1.test");
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Add(replicas).Build())
            .AddServiceDiscovery()
            .AddSingleton<ReplicaChannels>()
            .BuildServiceProvider();
        var channels = services.GetRequiredService<ReplicaChannels>();
        var addresses = await channels.GetReplicaAddressesAsync("prober", CancellationToken.None);
        var kept = channels.Get("prober", addresses[0]);
        var departed = channels.Get("prober", addresses[1]);

        replicas.Set("http://replica-0.test");
        await Eventually(async () => (await channels.GetReplicaAddressesAsync("prober", CancellationToken.None)).Count == 1, "discovery saw the replica leave");

        Assert.Same(kept, channels.Get("prober", addresses[0]));
        Assert.NotSame(departed, channels.Get("prober", addresses[1]));
        // A disposed channel refuses new calls.
        Assert.Throws<ObjectDisposedException>(() => departed.CreateCallInvoker());
    }

    /// <summary>The prober's replica addresses as configuration that can change, as the AppHost's would on a rescale.</summary>
    private sealed class ReplicaConfiguration : ConfigurationProvider, IConfigurationSource
    {
        public void Set(params string[] addresses)
        {
            Data = addresses.Select((address, i) => new KeyValuePair<string, string?>($"services:prober:grpc:{i}", address))
                .ToDictionary(StringComparer.OrdinalIgnoreCase);
            OnReload();
        }

        public IConfigurationProvider Build(IConfigurationBuilder builder) => this;
    }

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        for (var tries = 0; !await condition(); tries++)
        {
            Assert.True(tries < 100, $"Timed out waiting until {what}.");
            await Task.Delay(100);
        }
    }

    private static ServiceProvider ClientServices(string service, params string[] addresses) => new ServiceCollection()
        .AddLogging()
        .AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(addresses.Select((address, i) => new KeyValuePair<string, string?>($"services:{service}:grpc:{i}", address)))
            .Build())
        .AddServiceGrpcClient<Health.HealthClient>(service)
        .Services
        .BuildServiceProvider();

    private static async Task<WebApplication> StartAsync(FlakyHealth server)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(server);
        var app = builder.Build();
        app.MapGrpcService<FlakyHealth>();
        await app.StartAsync();
        return app;
    }

    /// <summary>Answers UNAVAILABLE to the first <c>failures</c> calls, then SERVING; remembers each call's deadline.</summary>
    private sealed class FlakyHealth(int failures) : Health.HealthBase
    {
        private int _calls;

        public int Calls => _calls;

        public DateTime LastDeadline { get; private set; }

        public override Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context)
        {
            LastDeadline = context.Deadline;
            return Interlocked.Increment(ref _calls) <= failures
                ? throw new RpcException(new Status(StatusCode.Unavailable, "warming up"))
                : Task.FromResult(new HealthCheckResponse { Status = HealthCheckResponse.Types.ServingStatus.Serving });
        }
    }
}
