using AspireProber.Tests.Shared;
using AspireProber.ProberService.Tests.Infrastructure;
using static AspireProber.ProberService.Tests.Infrastructure.TestUtil;

namespace AspireProber.ProberService.Tests;

/// <summary>
/// A client that is not grpc-dotnet — grpc-js, from Tests/Interop.Peers (npm ci by .ci/install-peers.sh) — checks the
/// prober's grpc.health.v1 and both versions of server reflection, and finds prober.v1.Prober with its methods.
/// </summary>
public sealed class ForeignClientTests
{
    [Fact]
    public async Task Grpc_js_reads_health_and_reflection_of_the_prober()
    {
        await using var prober = await ProberHost.StartAsync(Setting("Grpc:Reflection", "true"));

        var (exitCode, output) = await NodePeers.RunAsync("health_reflection.js",
            "--server_host=127.0.0.1", $"--server_port={prober.Address.Port}", "--expect_services=prober.v1.Prober,grpc.health.v1.Health");

        Assert.True(exitCode == 0, $"grpc-js health/reflection check exited {exitCode}:\n{output}");
    }

    [Fact]
    public async Task Without_reflection_enabled_grpc_js_is_told_UNIMPLEMENTED()
    {
        // ProberHost runs as Production: reflection is off unless Grpc:Reflection turns it on (the check must fail).
        await using var prober = await ProberHost.StartAsync();

        var (exitCode, output) = await NodePeers.RunAsync("health_reflection.js",
            "--server_host=127.0.0.1", $"--server_port={prober.Address.Port}", "--expect_services=prober.v1.Prober");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("UNIMPLEMENTED", output, StringComparison.OrdinalIgnoreCase);
    }
}
