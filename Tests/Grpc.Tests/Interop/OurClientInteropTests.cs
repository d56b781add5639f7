using AspireProber.Grpc.Tests.Infrastructure;

namespace AspireProber.Grpc.Tests.Interop;

/// <summary>One grpc-js interop server for a whole test class.</summary>
public sealed class GrpcJsInteropServerFixture : IAsyncLifetime
{
    private PeerProcess? _process;

    public int Port { get; private set; }

    public async Task InitializeAsync() => (_process, Port) = await InteropPrograms.StartGrpcJsServerAsync();

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}

/// <summary>Our interop client (Tests/InteropClient) runs every case against the @grpc/grpc-js interop server.</summary>
public sealed class OurClientToGrpcJsServerTests(GrpcJsInteropServerFixture server) : IClassFixture<GrpcJsInteropServerFixture>
{
    public static TheoryData<string> Cases => new(InteropPrograms.Cases);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Our_client_passes(string testCase) => InteropPrograms.RunOurClientAsync(server.Port, testCase);
}

/// <summary>Our interop client against our interop server: both halves of our stack, as separate processes.</summary>
public sealed class OurClientToOurServerTests(OurInteropServerFixture server) : IClassFixture<OurInteropServerFixture>
{
    public static TheoryData<string> Cases => new(InteropPrograms.Cases);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Our_client_passes(string testCase) => InteropPrograms.RunOurClientAsync(server.Port, testCase);
}
