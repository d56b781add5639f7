using System.Globalization;
using System.Text.RegularExpressions;

namespace AspireProber.GrpcBench;

/// <summary>
/// h2load (nghttp2) as the neutral load generator for the unary case: the same arguments for every server,
/// POSTing the framed request with gRPC's headers. A run counts only if every request got a 2xx.
/// </summary>
internal static partial class H2Load
{
    public static string Arguments(BenchSettings settings) =>
        $"h2load -n {settings.Requests} -c {settings.Connections} -m {settings.StreamsPerConnection}";

    /// <summary>Runs h2load and returns its requests per second.</summary>
    public static async Task<double> RunAsync(int port, string requestFile, BenchSettings settings, CancellationToken cancellationToken)
    {
        string[] arguments =
        [
            "-n", settings.Requests.ToString(CultureInfo.InvariantCulture),
            "-c", settings.Connections.ToString(CultureInfo.InvariantCulture),
            "-m", settings.StreamsPerConnection.ToString(CultureInfo.InvariantCulture),
            "-d", requestFile,
            "-H", "content-type: application/grpc",
            "-H", "te: trailers",
            $"http://127.0.0.1:{port}{GrpcMessages.UnaryCallPath}",
        ];
        var output = (await ChildProcess.RunAsync("h2load", arguments, settings.RunTimeout, cancellationToken)).StandardOutput;

        var finished = Finished().Match(output);
        var succeeded = Succeeded().Match(output);
        var status2xx = Status2xx().Match(output);
        if (!finished.Success || !succeeded.Success || !status2xx.Success)
        {
            throw new FormatException($"Unexpected h2load output:\n{output}");
        }
        if (int.Parse(succeeded.Groups[1].Value, CultureInfo.InvariantCulture) != settings.Requests
            || int.Parse(status2xx.Groups[1].Value, CultureInfo.InvariantCulture) != settings.Requests)
        {
            throw new InvalidOperationException($"Not every request succeeded with a 2xx:\n{output}");
        }
        return double.Parse(finished.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    // "finished in 2.91s, 68644.05 req/s, 3.19MB/s"
    [GeneratedRegex(@"^finished in [^,]+, ([0-9.]+) req/s", RegexOptions.Multiline)]
    private static partial Regex Finished();

    // "requests: 200000 total, 200000 started, 200000 done, 200000 succeeded, 0 failed, 0 errored, 0 timeout"
    [GeneratedRegex(@"^requests: .* ([0-9]+) succeeded,", RegexOptions.Multiline)]
    private static partial Regex Succeeded();

    // "status codes: 200000 2xx, 0 3xx, 0 4xx, 0 5xx"
    [GeneratedRegex(@"^status codes: ([0-9]+) 2xx,", RegexOptions.Multiline)]
    private static partial Regex Status2xx();
}
