using AspireProber.Tests.Shared;
using AspireProber.ProberService.Tests.Infrastructure;
using static AspireProber.ProberService.Tests.Infrastructure.TestUtil;

namespace AspireProber.ProberService.Tests;

/// <summary>
/// A client that is not grpc-dotnet — grpc-js, from Tests/Interop.Peers (npm ci by .ci/install-peers.sh) — checks the
/// prober's grpc.health.v1 and both versions of server reflection, and finds prober.v1.Prober with its methods; and,
/// calling Probe the way grpcurl does (reflection_call.js), meets the prober's bounds as grpc-dotnet clients do.
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
    public async Task Grpc_js_asking_past_the_bound_is_INVALID_ARGUMENT_and_without_the_key_UNAUTHENTICATED()
    {
        await using var target = await TargetHost.StartAsync();
        await using var prober = await ProberHost.StartAsync(Setting("Grpc:Reflection", "true"), Setting("Prober:ApiKey", "s3cret"));
        string[] call = [$"--server_port={prober.Address.Port}", "--method=prober.v1.Prober/Probe"];
        var tooLong = Request(new { endpoint = target.Url("/hang"), repetitions = 1000, attempt_timeout = new { seconds = 30 } });
        var fast = Request(new { endpoint = target.Url("/fast"), repetitions = 1 });

        var (refused, why) = await NodePeers.RunAsync("reflection_call.js", [.. call, tooLong, "--header=authorization: Bearer s3cret"]);
        var (anonymous, unauthenticated) = await NodePeers.RunAsync("reflection_call.js", [.. call, fast]);
        var (keyed, reply) = await NodePeers.RunAsync("reflection_call.js", [.. call, fast, "--header=authorization: Bearer s3cret"]);

        Assert.NotEqual(0, refused);
        Assert.Contains("INVALID_ARGUMENT", why);
        Assert.Contains("beyond this server's bound of 30 s per probe (Prober:MaxProbeDuration)", why);
        Assert.NotEqual(0, anonymous);
        Assert.Contains("UNAUTHENTICATED", unauthenticated);
        Assert.True(keyed == 0, reply);
        Assert.Contains("\"success_count\":1", reply);
    }

    [Fact]
    public async Task Grpc_js_past_its_callers_share_is_RESOURCE_EXHAUSTED()
    {
        await using var target = await TargetHost.StartAsync();
        await using var prober = await ProberHost.StartAsync(Setting("Grpc:Reflection", "true"));
        string[] hang = [$"--server_port={prober.Address.Port}", "--method=prober.v1.Prober/Probe",
            Request(new { endpoint = target.Url("/hang"), repetitions = 1 })];
        // This caller's (127.0.0.1's) four slots held on /hang, by calls of ours: node processes would cost a core each.
        using var holdingCalls = new CancellationTokenSource();
        var holding = Enumerable.Range(0, 4)
            .Select(_ => prober.Client.ProbeAsync(new Prober.V1.ProbeRequest { Endpoint = target.Url("/hang"), Repetitions = 1 }, cancellationToken: holdingCalls.Token).ResponseAsync)
            .ToArray();
        await Eventually(() => target.Activity.HangingRequests == 4, "four probes to reach /hang");

        var (exitCode, output) = await NodePeers.RunAsync("reflection_call.js", hang);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("RESOURCE_EXHAUSTED", output);
        Assert.Contains("Prober:MaxConcurrentProbesPerCaller", output);
        holdingCalls.Cancel();
        foreach (var call in holding)
        {
            await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => call.Within());
        }
    }

    // reflection_call.js's request: JSON with the .proto's field names.
    private static string Request(object request) => "--request=" + System.Text.Json.JsonSerializer.Serialize(request);

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
