using System.Net;
using AspireProber.ServiceDefaults.Tests.Infrastructure;
using Grpc.Health.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AspireProber.ServiceDefaults.Tests;

/// <summary>Kestrel endpoints come from configuration the way the AppHost sets them; the fallback applies only when nothing is set.</summary>
public sealed class KestrelEndpointsTests
{
    [Fact]
    public async Task Endpoints_configured_as_the_AppHost_does_are_used_grpc_on_http2_and_http_on_http1()
    {
        var (grpcPort, httpPort) = (LoopbackPort.Free(), LoopbackPort.Free());
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:grpc:Url"] = $"http://127.0.0.1:{grpcPort}",
            ["Kestrel:Endpoints:grpc:Protocols"] = "Http2",
            ["Kestrel:Endpoints:http:Url"] = $"http://127.0.0.1:{httpPort}",
            ["Kestrel:Endpoints:http:Protocols"] = "Http1",
        });

        Assert.Equal(grpcPort, app.GrpcAddress.Port);
        Assert.Equal(httpPort, app.HttpAddress.Port);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving,
            (await new Health.HealthClient(app.Channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(10))).Status);
        using var health = await app.Http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(new Version(1, 1), health.Version);
    }

    [Fact]
    public async Task With_only_urls_configured_there_is_no_fallback_and_no_restriction()
    {
        var port = LoopbackPort.Free();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, Args = [] });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = $"http://127.0.0.1:{port}" });
        builder.AddServiceDefaults();
        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();

        Assert.Equal([$"http://127.0.0.1:{port}"], app.Urls);
        Assert.Null(app.Services.GetRequiredService<KestrelEndpoints>().HttpPort);
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{port}/metrics")).StatusCode);
        await app.StopAsync();
    }
}
