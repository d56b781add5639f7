using AspireProber.Grpc.Tests.Infrastructure;

namespace AspireProber.Grpc.Tests.Interop;

/// <summary>
/// The python3-grpcio (gRPC C-core) peers in Tests/Interop.Peers/python. Debian installs grpcio for the
/// system interpreter only, so they run under /usr/bin/python3, never the python3 first on PATH.
/// </summary>
public static class PythonPeer
{
    public const string Python = "/usr/bin/python3";

    public static readonly string Directory = Path.Combine(InteropPrograms.PeersDirectory, "python");

    /// <summary>Starts interop_server.py on a free port.</summary>
    public static async Task<(PeerProcess Process, int Port)> StartServerAsync()
    {
        var process = PeerProcess.Start(Python, ["interop_server.py", "--port=0"], Directory);
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

/// <summary>One python3-grpcio interop server for a whole test class.</summary>
public sealed class PythonInteropServerFixture : IAsyncLifetime
{
    private PeerProcess? _process;

    public int Port { get; private set; }

    public async Task InitializeAsync() => (_process, Port) = await PythonPeer.StartServerAsync();

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}

/// <summary>The python3-grpcio (C-core) interop client runs every case against our interop server.</summary>
public sealed class PythonClientToOurServerTests(OurInteropServerFixture server) : IClassFixture<OurInteropServerFixture>
{
    public static TheoryData<string> Cases => new(InteropPrograms.Cases);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Python_client_passes(string testCase)
    {
        var (exitCode, stdout, stderr) = await PeerProcess.RunAsync(PythonPeer.Python,
            ["interop_client.py", "--server_host=127.0.0.1", $"--server_port={server.Port}", $"--test_case={testCase}"],
            TimeSpan.FromSeconds(60), PythonPeer.Directory);

        Assert.True(exitCode == 0, $"python client, case {testCase}, exit {exitCode}: {stderr}\n{stdout}");
    }
}

/// <summary>
/// Our interop client (Tests/InteropClient) runs every case against the python3-grpcio interop server, the
/// peer that compresses responses when asked, so server_compressed_* test our client's decompression.
/// </summary>
public sealed class OurClientToPythonServerTests(PythonInteropServerFixture server) : IClassFixture<PythonInteropServerFixture>
{
    public static TheoryData<string> Cases => new(InteropPrograms.Cases);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Our_client_passes(string testCase) => InteropPrograms.RunOurClientAsync(server.Port, testCase);
}
