using System.Net;
using AspireProber.ServiceDefaults.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace AspireProber.ServiceDefaults.Tests;

/// <summary>/health, /alive and grpc.health.v1 report the same checks; reflection lists the services.</summary>
public sealed class HealthEndpointTests
{
    private static readonly TimeSpan PublishWait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task All_healthy_is_200_on_both_paths_and_SERVING_over_grpc()
    {
        await using var app = await TestApp.StartAsync();

        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync("/alive")).StatusCode);
        Assert.Equal(ServingStatus.Serving, await WaitForGrpcStatusAsync(app, ServingStatus.Serving));
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    [InlineData("/metrics")]
    public async Task The_read_only_endpoints_answer_GET_and_HEAD_only(string path)
    {
        await using var app = await TestApp.StartAsync();

        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path))).StatusCode);
        foreach (var method in new[] { HttpMethod.Delete, HttpMethod.Post, HttpMethod.Trace, new HttpMethod("FOO") })
        {
            using var response = await app.Http.SendAsync(new HttpRequestMessage(method, path));
            Assert.True(response.StatusCode == HttpStatusCode.MethodNotAllowed, $"{method} {path} answered {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task A_failing_readiness_check_fails_health_and_grpc_but_not_alive()
    {
        await using var app = await TestApp.StartAsync(configureBuilder: builder =>
            builder.Services.AddHealthChecks().AddCheck("database", () => HealthCheckResult.Unhealthy("down")));

        using var health = await app.Http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("Unhealthy", await health.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync("/alive")).StatusCode);
        Assert.Equal(ServingStatus.NotServing, await WaitForGrpcStatusAsync(app, ServingStatus.NotServing));
    }

    [Fact]
    public async Task A_failing_liveness_check_fails_alive()
    {
        await using var app = await TestApp.StartAsync(configureBuilder: builder =>
            builder.Services.AddHealthChecks().AddCheck("deadlock", () => HealthCheckResult.Unhealthy(), [Microsoft.Extensions.Hosting.Extensions.LiveTag]));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await app.Http.GetAsync("/alive")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await app.Http.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task A_degraded_check_is_still_healthy_enough_to_serve()
    {
        await using var app = await TestApp.StartAsync(configureBuilder: builder =>
            builder.Services.AddHealthChecks().AddCheck("slow-dependency", () => HealthCheckResult.Degraded()));

        using var health = await app.Http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Degraded", await health.Content.ReadAsStringAsync());
        Assert.Equal(ServingStatus.Serving, await WaitForGrpcStatusAsync(app, ServingStatus.Serving));
    }

    [Fact]
    public async Task Reflection_where_enabled_lists_the_health_service()
    {
        // TestApp runs as Production, where reflection is off unless configured on.
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { [GrpcServerDefaults.ReflectionSetting] = "true" });

        using var call = new ServerReflection.ServerReflectionClient(app.Channel).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(service => service.Name).ToList();
        Assert.Contains("grpc.health.v1.Health", services);
        Assert.Contains("grpc.reflection.v1.ServerReflection", services);
    }

    // The health publisher runs the checks at start and then periodically: wait for the first report to land.
    private static async Task<ServingStatus> WaitForGrpcStatusAsync(TestApp app, ServingStatus expected)
    {
        var client = new Health.HealthClient(app.Channel);
        var deadline = DateTime.UtcNow + PublishWait;
        while (true)
        {
            try
            {
                var status = (await client.CheckAsync(new HealthCheckRequest())).Status;
                if (status == expected || DateTime.UtcNow > deadline)
                {
                    return status;
                }
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound && DateTime.UtcNow < deadline)
            {
                // Not published yet.
            }
            await Task.Delay(50);
        }
    }
}
