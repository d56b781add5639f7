using System.Diagnostics;
using AspireProber.Stock.V1;
using Grpc.Net.Client;

namespace AspireProber.ServicesBench;

/// <summary>
/// A stock consumer that stops reading while the generator keeps going: the service's resident set must not grow
/// with the stall, and the updates it counts as sent but the consumer never read must fit in the HTTP/2 windows.
/// </summary>
internal sealed class BackpressureBench(ServiceProcess stock, Uri grpc, Uri http, string consumer, CancellationToken cancellationToken)
{
    public const int UpdatesPerSecond = 5000;
    public const string StalledConsumer = "bench-stalled";
    public const string ReadingConsumer = "bench-reading";

    /// <summary>
    /// Reading before the stall: the 10,000-update log is full after 2 s, but the GC takes longer to settle. Its
    /// gen0 budget is sized from the CPU's cache (16–30 MiB on a 32 MiB L3), and at this rate the generator alone
    /// allocates ~1.2 MB/s, so the first collections come 10–25 s apart and the memory they reuse is touched for the
    /// first time over the first ~40 s. With 10 s here, ~23 MiB (server GC) or ~12 MiB (workstation GC) of that first
    /// touch fell into the stall, in the control as much as in the stalled service (bench/README.md).
    /// </summary>
    public static readonly TimeSpan ReadingTime = TimeSpan.FromSeconds(40);

    /// <summary>How often the resident set is sampled during the stall (the samples show a plateau or a trend).</summary>
    private static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// What flow control lets the service count as sent but the consumer not read: the client's stream receive
    /// window (SocketsHttpHandler's 65,535 bytes, fixed: Program.cs turns dynamic window sizing off), what Kestrel
    /// buffers for one response before a write waits (KestrelServerLimits.MaxResponseBufferSize, 64 KiB) and what
    /// the gRPC client's PipeReader reads ahead of the message it returns (its 4,096-byte buffer).
    /// </summary>
    public const int WindowBytes = 65_535 + 65_536 + 4_096;

    public sealed record Result(TimeSpan Stall, Memory Before, Memory After, IReadOnlyList<long> RssSamples, long Sent, long Received,
        double MeanFrameBytes, long UpdatesMadeDuringStall)
    {
        public long Unread => Sent - Received;

        /// <summary>The most messages the windows hold, plus the one a stalled write waits with.</summary>
        public long Bound => (long)(WindowBytes / MeanFrameBytes) + 1;
    }

    /// <summary>
    /// The service's memory at one moment: what the OS sees (VmRSS; its anonymous part) and what the GC reports on
    /// /metrics (the runtime's own instruments, from its last collection) — the managed heap that collection left,
    /// which only retention grows, and the memory the GC keeps committed, which its allocation budgets grow too.
    /// </summary>
    public sealed record Memory(long Resident, long Anonymous, long HeapAfterLastGc, long GcCommitted, long Gen0Collections,
        long Gen1Collections, long Gen2Collections);

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

        // One scrape before and one after, none in between: the samples of the stall are /proc reads, which cost the
        // service nothing.
        var metricsBefore = await ScrapeAsync(http);
        var before = MemoryNow(metricsBefore);
        var samples = new List<long>();
        var stalled = Stopwatch.StartNew();
        for (var next = SampleInterval; next <= stall; next += SampleInterval)
        {
            await Task.Delay(next - stalled.Elapsed, cancellationToken);
            samples.Add(stock.ResidentBytes());
        }
        var metricsAfter = await ScrapeAsync(http);
        var after = MemoryNow(metricsAfter) with { Resident = samples[^1] };
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
        var sent = (long?)MetricsText.Value(await ScrapeAsync(http), "stock_updates_sent_total", $"consumer=\"{consumer}\"")
            ?? throw new InvalidOperationException($"/metrics has no stock_updates_sent_total for consumer \"{consumer}\"");
        // Informative only: -1 when the service has no such counter.
        var published = MetricsText.Value(metricsAfter, "stock_updates_published_total") - MetricsText.Value(metricsBefore, "stock_updates_published_total");
        return new Result(stall, before, after, samples, sent, Interlocked.Read(ref received), (double)frameBytes / received,
            published is { } made ? (long)made : -1);
    }

    private Memory MemoryNow(string metrics)
    {
        long Gc(string metric, string? generation = null) => (long)(MetricsText.Value(metrics, metric, generation is null ? null : $"gc_heap_generation=\"{generation}\"")
            ?? throw new InvalidOperationException($"/metrics has no {metric} (the runtime's System.Runtime meter)"));
        return new Memory(stock.ResidentBytes(), stock.AnonymousBytes(),
            HeapAfterLastGc: ((string[])["gen0", "gen1", "gen2", "loh", "poh"]).Sum(generation => Gc("dotnet_gc_last_collection_heap_size_bytes", generation)),
            GcCommitted: Gc("dotnet_gc_last_collection_memory_committed_size_bytes"),
            Gen0Collections: Gc("dotnet_gc_collections_total", "gen0"),
            Gen1Collections: Gc("dotnet_gc_collections_total", "gen1"),
            Gen2Collections: Gc("dotnet_gc_collections_total", "gen2"));
    }

    private Task<string> ScrapeAsync(HttpClient client) => client.GetStringAsync(new Uri(http, "/metrics"), cancellationToken);

    private static void Progress(string text) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {text}");
}
