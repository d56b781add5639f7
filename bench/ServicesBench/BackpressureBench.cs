using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using AspireProber.Stock.V1;
using Grpc.Net.Client;

namespace AspireProber.ServicesBench;

/// <summary>
/// A stock consumer that stops reading while the generator keeps going: the service's resident set must not grow
/// with the stall, and the updates it counts as sent but the consumer never read must fit in the HTTP/2 windows.
/// </summary>
internal sealed partial class BackpressureBench(ServiceProcess stock, Uri grpc, Uri http, string consumer, CancellationToken cancellationToken)
{
    public const int UpdatesPerSecond = 5000;
    public const string StalledConsumer = "bench-stalled";
    public const string ReadingConsumer = "bench-reading";

    /// <summary>
    /// Reading before the stall: the 10,000-update log is full after 2 s, and the service's heap has settled to the
    /// load (server GC sizes its budgets over the first seconds), so "before" is the steady state of a reading consumer.
    /// </summary>
    private static readonly TimeSpan ReadingTime = TimeSpan.FromSeconds(10);

    /// <summary>How often the resident set is sampled during the stall (the samples show a plateau or a trend).</summary>
    private static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// What flow control lets the service count as sent but the consumer not read: the client's stream receive
    /// window (SocketsHttpHandler's 65,535 bytes, fixed: Program.cs turns dynamic window sizing off), what Kestrel
    /// buffers for one response before a write waits (KestrelServerLimits.MaxResponseBufferSize, 64 KiB) and what
    /// the gRPC client's PipeReader reads ahead of the message it returns (its 4,096-byte buffer).
    /// </summary>
    public const int WindowBytes = 65_535 + 65_536 + 4_096;

    public sealed record Result(TimeSpan Stall, long RssBefore, long RssAfter, IReadOnlyList<long> RssSamples, long Sent, long Received,
        double MeanFrameBytes, long UpdatesMadeDuringStall)
    {
        public long Unread => Sent - Received;

        /// <summary>The most messages the windows hold, plus the one a stalled write waits with.</summary>
        public long Bound => (long)(WindowBytes / MeanFrameBytes) + 1;
    }

    /// <summary>
    /// Reads for <see cref="ReadingTime"/>, then samples the service's resident set for <paramref name="stall"/>
    /// while the consumer stops reading (<paramref name="stops"/>) or, for the control run, keeps reading.
    /// </summary>
    public async Task<Result> RunAsync(TimeSpan stall, bool stops)
    {
        using var channel = GrpcChannel.ForAddress(grpc);
        using var http = new HttpClient();
        using var reader = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var call = new StockService.StockServiceClient(channel).GetUpdates(new GetUpdatesRequest { Consumer = consumer },
            cancellationToken: reader.Token);

        long received = 0, frameBytes = 0;
        var reading = Stopwatch.StartNew();
        var stopAt = ReadingTime;
        var readingLoop = Task.Run(async () =>
        {
            // The control consumer reads until the stall is over; the other stops at the end of the reading time.
            while ((!stops || reading.Elapsed < stopAt) && await call.ResponseStream.MoveNext(reader.Token))
            {
                frameBytes += call.ResponseStream.Current.CalculateSize() + 5; // gRPC message frame: 1 flag + 4 length bytes
                Interlocked.Increment(ref received);
            }
        });
        await Task.Delay(ReadingTime, cancellationToken);
        if (stops)
        {
            await readingLoop;
            Progress($"backpressure: consumer '{consumer}' stops reading for {stall.TotalSeconds:0} s (received {received:N0} so far)");
        }

        var publishedBefore = await MetricAsync(http, "stock_updates_published_total"); // informative only: null when absent
        var rssBefore = stock.ResidentBytes();
        var samples = new List<long>();
        var stalled = Stopwatch.StartNew();
        for (var next = SampleInterval; next <= stall; next += SampleInterval)
        {
            await Task.Delay(next - stalled.Elapsed, cancellationToken);
            samples.Add(stock.ResidentBytes());
        }
        var rssAfter = samples[^1];
        var publishedAfter = await MetricAsync(http, "stock_updates_published_total");
        if (!stops)
        {
            await reader.CancelAsync();
            try
            {
                await readingLoop;
            }
            catch (Exception e) when (e is OperationCanceledException || e is Grpc.Core.RpcException { StatusCode: Grpc.Core.StatusCode.Cancelled })
            {
                // The control consumer is done.
            }
        }
        var sent = await MetricAsync(http, "stock_updates_sent_total", consumer)
            ?? throw new InvalidOperationException($"/metrics has no stock_updates_sent_total for consumer \"{consumer}\"");
        return new Result(stall, rssBefore, rssAfter, samples, sent, Interlocked.Read(ref received), (double)frameBytes / received,
            publishedBefore is { } b && publishedAfter is { } a ? a - b : -1);
    }

    /// <summary>The value of <paramref name="metric"/> (for <paramref name="consumer"/>, when given) on the service's /metrics.</summary>
    private async Task<long?> MetricAsync(HttpClient client, string metric, string? consumer = null)
    {
        var text = await client.GetStringAsync(new Uri(http, "/metrics"), cancellationToken);
        foreach (Match sample in Sample().Matches(text))
        {
            if (sample.Groups["name"].Value == metric
                && (consumer is null || sample.Groups["labels"].Value.Contains($"consumer=\"{consumer}\"", StringComparison.Ordinal)))
            {
                return (long)double.Parse(sample.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }
        return null;
    }

    private static void Progress(string text) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {text}");

    // stock_updates_sent_total{consumer="bench-stalled",otel_scope_name="..."} 15012 1763780000000
    [GeneratedRegex(@"^(?<name>[a-z_:]+)(?:\{(?<labels>[^}]*)\})?\s+(?<value>[0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
