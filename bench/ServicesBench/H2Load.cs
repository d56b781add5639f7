using System.Globalization;
using System.Text.RegularExpressions;

namespace AspireProber.ServicesBench;

/// <summary>
/// h2load (nghttp2) as the neutral client the prober is compared with. The ProbeTarget speaks HTTP/1.1 (as in the
/// app model), so every run is <c>--h1</c>. A run counts only if every request got a 2xx.
/// </summary>
internal static partial class H2Load
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(30);

    /// <summary>What one run measured: its throughput and the means of h2load's per-request timings.</summary>
    public sealed record Result(double RequestsPerSecond, double MeanRequestMs, double MeanConnectMs);

    /// <summary>
    /// <paramref name="requests"/> GETs over <paramref name="connections"/> keep-alive connections, each connection
    /// sending its next request when the previous response is complete.
    /// </summary>
    public static Task<Result> KeepAliveAsync(string url, int requests, int connections, CancellationToken cancellationToken) =>
        RunAsync(["--h1", "-n", Text(requests), "-c", Text(connections), url], requests, cancellationToken);

    public static string KeepAliveArguments(int requests, int connections) => $"h2load --h1 -n {requests} -c {connections}";

    /// <summary>
    /// One new connection per request: rate mode opens one client (connection) every <paramref name="period"/>, and
    /// each client makes <c>-n / -c</c> = 1 request. The period is longer than a request, so at most a couple overlap.
    /// </summary>
    public static Task<Result> ConnectionPerRequestAsync(string url, int requests, TimeSpan period, CancellationToken cancellationToken) =>
        RunAsync(["--h1", "-n", Text(requests), "-c", Text(requests), "-r", "1", $"--rate-period={Text((int)period.TotalMilliseconds)}ms", url],
            requests, cancellationToken);

    public static string ConnectionPerRequestArguments(int requests, TimeSpan period) =>
        $"h2load --h1 -n {requests} -c {requests} -r 1 --rate-period={(int)period.TotalMilliseconds}ms";

    private static async Task<Result> RunAsync(string[] arguments, int requests, CancellationToken cancellationToken)
    {
        var output = (await ChildProcess.RunAsync("h2load", arguments, RunTimeout, cancellationToken)).StandardOutput;
        var finished = Finished().Match(output);
        var succeeded = Succeeded().Match(output);
        var status2xx = Status2xx().Match(output);
        var request = MeanOf("time for request").Match(output);
        var connect = MeanOf("time for connect").Match(output);
        if (!finished.Success || !succeeded.Success || !status2xx.Success || !request.Success || !connect.Success)
        {
            throw new FormatException($"Unexpected h2load output:\n{output}");
        }
        if (int.Parse(succeeded.Groups[1].Value, CultureInfo.InvariantCulture) != requests
            || int.Parse(status2xx.Groups[1].Value, CultureInfo.InvariantCulture) != requests)
        {
            throw new InvalidOperationException($"Not every request succeeded with a 2xx:\n{output}");
        }
        return new Result(double.Parse(finished.Groups[1].Value, CultureInfo.InvariantCulture),
            Milliseconds(request.Groups[1].Value), Milliseconds(connect.Groups[1].Value));
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    // h2load prints durations as "953us", "23.40ms" or "1.20s".
    private static double Milliseconds(string duration)
    {
        var unit = duration.TrimStart("0123456789.".ToCharArray());
        var value = double.Parse(duration[..^unit.Length], CultureInfo.InvariantCulture);
        return unit switch
        {
            "us" => value / 1000,
            "ms" => value,
            "s" => value * 1000,
            _ => throw new FormatException($"Unexpected h2load duration '{duration}'."),
        };
    }

    // "time for request:    21.17ms     25.95ms     23.40ms       953us    70.00%"   (min, max, mean, sd, +/- sd)
    private static Regex MeanOf(string row) => new($@"^{row}:\s+\S+\s+\S+\s+(\S+)", RegexOptions.Multiline);

    // "finished in 1.19s, 33.49 req/s, 4.77KB/s"
    [GeneratedRegex(@"^finished in [^,]+, ([0-9.]+) req/s", RegexOptions.Multiline)]
    private static partial Regex Finished();

    // "requests: 40 total, 40 started, 40 done, 40 succeeded, 0 failed, 0 errored, 0 timeout"
    [GeneratedRegex(@"^requests: .* ([0-9]+) succeeded,", RegexOptions.Multiline)]
    private static partial Regex Succeeded();

    // "status codes: 40 2xx, 0 3xx, 0 4xx, 0 5xx"
    [GeneratedRegex(@"^status codes: ([0-9]+) 2xx,", RegexOptions.Multiline)]
    private static partial Regex Status2xx();
}
