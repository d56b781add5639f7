using AspireProber.InteropClient;
using AspireProber.InteropServer;
using Grpc.Net.Client;

// The interop client of grpc/grpc doc/interop-test-descriptions.md:
//   dotnet run -c Release --project Tests/InteropClient -- --server_host=127.0.0.1 --server_port=<p> --test_case=<name>
// Exit 0 when the case passes; otherwise 1 with the reason on stderr.
try
{
    var flags = InteropFlags.Parse(args, allowed: ["server_host", "server_port", "test_case", "use_tls", "server_host_override"]);
    var host = flags.GetString("server_host") ?? "127.0.0.1";
    var port = flags.GetInt("server_port", 0);
    var testCase = flags.GetString("test_case") ?? throw new ArgumentException("--test_case=<name> is required; cases: " + string.Join(", ", InteropCases.Names));
    if (port <= 0)
    {
        throw new ArgumentException("--server_port=<port> is required.");
    }
    var scheme = flags.GetBool("use_tls", false) ? "https" : "http";

    using var channel = GrpcChannel.ForAddress($"{scheme}://{host}:{port}");
    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
    await new InteropCases(channel).RunAsync(testCase).WaitAsync(timeout.Token);
    Console.WriteLine($"PASS {testCase}");
    return 0;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"FAIL: {ex.GetType().Name}: {ex.Message}");
    return 1;
}
