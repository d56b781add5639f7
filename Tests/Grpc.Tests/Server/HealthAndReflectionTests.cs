using AspireProber.Grpc.Tests.Infrastructure;
using Grpc.HealthCheck;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace AspireProber.Grpc.Tests.Server;

/// <summary>grpc.health.v1 and server reflection as a real grpc-js client sees them.</summary>
public sealed class HealthAndReflectionTests
{
    private static readonly string PeersDirectory = Path.Combine(PeerProcess.RepoRoot, "Tests", "Interop.Peers");

    [Fact]
    public async Task Grpc_js_health_and_reflection_clients_see_every_mapped_service()
    {
        await using var server = await GrpcTestServer.StartAsync(
            services =>
            {
                services.AddGrpcServer().AddSingleton<TestHandlers>().AddGrpcReflection();
                services.AddGrpcHealthChecks();
            },
            endpoints =>
            {
                endpoints.MapGrpcService<ScriptedTestService>();
                endpoints.MapGrpcHealthChecksService();
                endpoints.MapGrpcReflectionService();
            });
        // The publisher runs right after start; set the overall status directly so the check does not race it.
        server.Services.GetRequiredService<HealthServiceImpl>().SetStatus("", ServingStatus.Serving);

        var (exitCode, stdout, stderr) = await PeerProcess.RunAsync("node",
            [
                "health_reflection.js", "--server_host=127.0.0.1", $"--server_port={server.Address.Port}",
                "--expect_services=grpc.health.v1.Health,grpc.reflection.v1.ServerReflection,grpc.reflection.v1alpha.ServerReflection",
            ],
            TimeSpan.FromSeconds(60), PeersDirectory);

        Assert.True(exitCode == 0, $"health_reflection.js failed ({exitCode}): {stderr}\n{stdout}");
    }
}
