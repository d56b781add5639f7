namespace AspireProber.GrpcBench;

/// <summary>A server the bench measures in its own process: how to start it.</summary>
internal sealed record ServerUnderTest(string Name, string FileName, IReadOnlyList<string> Arguments)
{
    public const string ServeRawKestrelCommand = "serve-raw-kestrel";

    /// <summary>grpc.testing.TestService on grpc-dotnet (bench/GrpcDotnetInteropServer).</summary>
    public static ServerUnderTest GrpcDotnet { get; } =
        new("grpc-dotnet (TestServiceImpl)", DotnetHost, [RepositoryPaths.GrpcDotnetInteropServerDll, "--port=0"]);

    /// <summary>This very program in its <see cref="ServeRawKestrelCommand"/> mode, launched like the grpc-dotnet server.</summary>
    public static ServerUnderTest RawKestrel { get; } =
        new("raw Kestrel (echo)", DotnetHost, [typeof(ServerUnderTest).Assembly.Location, ServeRawKestrelCommand]);

    public static ServerUnderTest GrpcGo(GoPrograms go) => new("grpc-go (echo)", go.EchoServer, ["-addr", "127.0.0.1:0"]);

    public Task<ServerProcess> StartAsync(CancellationToken cancellationToken) => ServerProcess.StartAsync(FileName, Arguments, cancellationToken);

    /// <summary>The dotnet host running the bench (under dotnet run it is the apphost, so fall back to PATH).</summary>
    private static string DotnetHost =>
        Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
}
