using AspireProber.Grpc.Tests.Infrastructure;

namespace AspireProber.Grpc.Tests.Interop;

/// <summary>The @grpc/grpc-js interop client runs every case against our interop server.</summary>
public sealed class GrpcJsClientToOurServerTests(OurInteropServerFixture server) : IClassFixture<OurInteropServerFixture>
{
    public static TheoryData<string> Cases => new(InteropPrograms.Cases);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Grpc_js_client_passes(string testCase)
    {
        var (exitCode, stdout, stderr) = await PeerProcess.RunAsync("node",
            ["client.js", "--server_host=127.0.0.1", $"--server_port={server.Port}", $"--test_case={testCase}"],
            TimeSpan.FromSeconds(60), InteropPrograms.PeersDirectory);

        Assert.True(exitCode == 0, $"grpc-js client, case {testCase}, exit {exitCode}: {stderr}\n{stdout}");
    }
}
