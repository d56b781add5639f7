using AspireProber.Grpc.Tests.Infrastructure;

namespace AspireProber.Grpc.Tests.Interop;

/// <summary>Where the interop programs are, and how to start them.</summary>
public static class InteropPrograms
{
    /// <summary>The interop cases of grpc/grpc doc/interop-test-descriptions.md that this project runs.</summary>
    public static readonly string[] Cases =
    [
        "empty_unary", "large_unary", "client_streaming", "server_streaming", "ping_pong", "empty_stream",
        "custom_metadata", "status_code_and_message", "special_status_message", "unimplemented_method",
        "unimplemented_service", "cancel_after_begin", "cancel_after_first_response", "timeout_on_sleeping_server",
        "client_compressed_unary", "server_compressed_unary", "server_compressed_streaming",
    ];

    public static readonly string PeersDirectory = Path.Combine(PeerProcess.RepoRoot, "Tests", "Interop.Peers");

    /// <summary>The configuration the tests were built in (Debug or Release), so the programs built with them are used.</summary>
    private static readonly string Configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    public static string OurProgram(string project, string assembly) =>
        Path.Combine(PeerProcess.RepoRoot, "Tests", project, "bin", Configuration, "net10.0", assembly + ".dll");

    /// <summary>Starts our interop server (Tests/InteropServer) on a free port.</summary>
    public static async Task<(PeerProcess Process, int Port)> StartOurServerAsync()
    {
        var process = PeerProcess.Start("dotnet", [OurProgram("InteropServer", "AspireProber.InteropServer"), "--port=0"]);
        try
        {
            return (process, await process.WaitForListeningPortAsync(TimeSpan.FromSeconds(30)));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs our interop client (Tests/InteropClient) for one case and asserts it passed.</summary>
    public static async Task RunOurClientAsync(int port, string testCase)
    {
        var (exitCode, stdout, stderr) = await PeerProcess.RunAsync("dotnet",
            [OurProgram("InteropClient", "AspireProber.InteropClient"), "--server_host=127.0.0.1", $"--server_port={port}", $"--test_case={testCase}"],
            TimeSpan.FromSeconds(60));
        Assert.True(exitCode == 0, $"our client, case {testCase}, exit {exitCode}: {stderr}\n{stdout}");
    }

    /// <summary>Starts the grpc-js interop server on a free port.</summary>
    public static async Task<(PeerProcess Process, int Port)> StartGrpcJsServerAsync()
    {
        var process = PeerProcess.Start("node", ["server.js", "--port=0"], PeersDirectory);
        try
        {
            return (process, await process.WaitForListeningPortAsync(TimeSpan.FromSeconds(30)));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }
}

/// <summary>One of our interop servers for a whole test class.</summary>
public sealed class OurInteropServerFixture : IAsyncLifetime
{
    private PeerProcess? _process;

    public int Port { get; private set; }

    public async Task InitializeAsync() => (_process, Port) = await InteropPrograms.StartOurServerAsync();

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}
