using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AspireProber.ServiceDefaults.Tests;

/// <summary>Clients named after a resource: addresses from services:{name}:grpc:{i}, retries of UNAVAILABLE, a default deadline.</summary>
public sealed class GrpcClientDefaultsTests
{
    [Fact]
    public void Addresses_come_in_replica_order_numerically_and_blank_entries_are_skipped()
    {
        var configuration = Configuration(new()
        {
            ["services:prober:grpc:10"] = "http://127.0.0.1:5010",
            ["services:prober:grpc:2"] = "http://127.0.0.1:5002",
            ["services:prober:grpc:0"] = "http://127.0.0.1:5000",
            ["services:prober:grpc:1"] = "http://127.0.0.1:5001",
            ["services:prober:grpc:3"] = "",
            ["services:prober:http:0"] = "http://127.0.0.1:6000",
        });

        Assert.Equal(
            ["http://127.0.0.1:5000/", "http://127.0.0.1:5001/", "http://127.0.0.1:5002/", "http://127.0.0.1:5010/"],
            configuration.GetServiceAddresses("prober").Select(uri => uri.ToString()));
        Assert.Equal(["http://127.0.0.1:6000/"], configuration.GetServiceAddresses("prober", "http").Select(uri => uri.ToString()));
        Assert.Empty(configuration.GetServiceAddresses("stock"));
    }

    [Fact]
    public void The_environment_variable_form_the_AppHost_injects_is_read()
    {
        var name = "services__sdtest" + Guid.NewGuid().ToString("N") + "__grpc__";
        Environment.SetEnvironmentVariable(name + "0", "http://127.0.0.1:7001");
        Environment.SetEnvironmentVariable(name + "1", "http://127.0.0.1:7002");
        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
            var service = name["services__".Length..^"__grpc__".Length];
            Assert.Equal([7001, 7002], configuration.GetServiceAddresses(service).Select(uri => uri.Port));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name + "0", null);
            Environment.SetEnvironmentVariable(name + "1", null);
        }
    }

    [Fact]
    public void A_relative_address_is_an_error_naming_the_key()
    {
        var configuration = Configuration(new() { ["services:prober:grpc:0"] = "http://127.0.0.1:5000", ["services:prober:grpc:1"] = "prober-1:5001" });

        var error = Assert.Throws<InvalidOperationException>(() => configuration.GetServiceAddresses("prober"));
        Assert.Contains("services:prober:grpc:1", error.Message);
    }

    [Fact]
    public void A_channel_for_a_resource_without_addresses_says_which_variable_to_set()
    {
        using var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(Configuration(new()))
            .AddGrpcClient<Health.HealthClient>("prober").BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<Health.HealthClient>());
        Assert.Contains("services__prober__grpc__0", error.Message);
    }

    [Fact]
    public void One_channel_per_resource_over_every_replica_with_the_default_service_config()
    {
        using var services = new ServiceCollection().AddLogging()
            .AddSingleton<IConfiguration>(Configuration(new() { ["services:prober:grpc:0"] = "http://127.0.0.1:5000", ["services:prober:grpc:1"] = "http://127.0.0.1:5001" }))
            .AddGrpcClient<Health.HealthClient>("prober").BuildServiceProvider();

        services.GetRequiredService<Health.HealthClient>();
        var channels = services.GetRequiredService<GrpcChannels>();
        var channel = channels.Get("PROBER");

        Assert.Same(channel, channels.Get("prober"));
        Assert.Equal([5000, 5001], channel.Addresses.Select(uri => uri.Port));
        var retry = Assert.Single(GrpcClientDefaults.CreateDefaultServiceConfig().MethodConfigs).RetryPolicy!;
        Assert.Equal([StatusCode.Unavailable], retry.RetryableStatusCodes);
    }

    [Fact]
    public async Task UNAVAILABLE_is_retried_by_default_and_calls_get_the_default_deadline()
    {
        var server = new FlakyHealth(failures: 2);
        await using var app = await StartAsync(server);
        using var services = ClientServices(app, configure: null);

        var reply = await services.GetRequiredService<Health.HealthClient>().CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
        Assert.Equal(3, server.Calls);
        var remaining = server.LastDeadline - DateTime.UtcNow;
        Assert.InRange(remaining, GrpcClientDefaults.DefaultDeadline - TimeSpan.FromSeconds(3), GrpcClientDefaults.DefaultDeadline);
    }

    [Fact]
    public async Task A_service_config_of_the_callers_own_replaces_the_default_retries()
    {
        var server = new FlakyHealth(failures: 1);
        await using var app = await StartAsync(server);
        using var services = ClientServices(app, options => options.ServiceConfig = new ServiceConfig());

        var error = await Assert.ThrowsAsync<RpcException>(() => services.GetRequiredService<Health.HealthClient>().CheckAsync(new HealthCheckRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(1, server.Calls);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private static ServiceProvider ClientServices(WebApplication app, Action<GrpcChannelOptions>? configure) => new ServiceCollection()
        .AddLogging()
        .AddSingleton<IConfiguration>(Configuration(new() { ["services:flaky:grpc:0"] = app.Urls.Single() }))
        .AddGrpcClient<Health.HealthClient>("flaky", configure)
        .BuildServiceProvider();

    private static async Task<WebApplication> StartAsync(FlakyHealth server)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2));
        builder.Services.AddGrpcServer();
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
