namespace AspireProber.GrpcBench;

/// <summary>
/// The grpc-go echo server and streaming client, built from bench/grpc-go-* against Debian's
/// golang-google-grpc-dev in GOPATH mode (offline: the sources are under /usr/share/gocode).
/// </summary>
internal sealed record GoPrograms(string EchoServer, string StreamClient)
{
    private const string DebianGoPath = "/usr/share/gocode";

    public static async Task<GoPrograms> BuildAsync(WorkDirectory work, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>
        {
            ["GO111MODULE"] = "off",
            ["GOPATH"] = $"{work.PathOf("gopath")}:{DebianGoPath}",
            ["GOCACHE"] = work.PathOf("gocache"),
            ["GOFLAGS"] = "",
        };
        var echoServer = work.PathOf("grpc-go-echo");
        var streamClient = work.PathOf("grpc-go-stream-client");
        // One after the other: two concurrent go builds of grpc would only fight over the 2 cores.
        await GoBuildAsync("grpc-go-echo", echoServer, environment, cancellationToken);
        await GoBuildAsync("grpc-go-stream-client", streamClient, environment, cancellationToken);
        return new GoPrograms(echoServer, streamClient);
    }

    private static Task GoBuildAsync(string program, string output, Dictionary<string, string> environment, CancellationToken cancellationToken) =>
        // Built from inside its folder: GOPATH mode takes a local package as ".", not as an absolute path.
        ChildProcess.RunAsync("go", ["build", "-o", output, "."], TimeSpan.FromMinutes(3), cancellationToken, environment,
            workingDirectory: RepositoryPaths.GoSource(program));
}
