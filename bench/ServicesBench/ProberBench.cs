using System.Diagnostics;
using AspireProber.Prober.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;
using ProberClient = AspireProber.Prober.V1.Prober.ProberClient;

namespace AspireProber.ServicesBench;

/// <summary>
/// The prober against h2load on the same ProbeTarget: how close its latencies are (accuracy) and how many probes
/// per second one replica gets through compared with direct requests at the same concurrency (overhead).
/// </summary>
internal sealed class ProberBench(Uri prober, Uri target, CancellationToken cancellationToken) : IDisposable
{
    public const int Chunks = 10;
    public const int Chunk = 20;
    public const int AccuracyProbes = Chunks * Chunk;
    public const int SlowMs = 20;
    public const int Callers = 4;
    public const int ProbesPerCaller = 1000; // the prober's default MaxRepetitions
    public const int OverheadRounds = 5;

    /// <summary>Rate-mode period of the connection-per-request h2load run: longer than a 20 ms request.</summary>
    public static readonly TimeSpan ConnectionPeriod = TimeSpan.FromMilliseconds(30);

    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(prober);

    private ProberClient Client => new(_channel);

    public string SlowUrl => new Uri(target, $"/slow?ms={SlowMs}").ToString();

    public string FastUrl => new Uri(target, "/fast").ToString();

    public sealed record Accuracy(string Mode, double ProberMeanMs, double H2LoadMeanMs, string H2LoadRun)
    {
        public double Ratio => ProberMeanMs / H2LoadMeanMs;
    }

    public sealed record Overhead(IReadOnlyList<double> ProbesPerSecond, IReadOnlyList<double> DirectPerSecond);

    /// <summary>
    /// 200 probes of /slow?ms=20 per connection mode next to 200 h2load requests that use connections alike, in
    /// 10 alternating chunks of 20: a burst of other work on the shared machine then hits both sides, not one.
    /// </summary>
    public async Task<IReadOnlyList<Accuracy>> AccuracyAsync()
    {
        // Warm-up, unmeasured: JIT, connection pools, the target's endpoint.
        await ProbeAsync(SlowUrl, Chunk, ConnectionMode.Reuse);
        await ProbeAsync(SlowUrl, Chunk, ConnectionMode.Fresh);
        await H2Load.KeepAliveAsync(SlowUrl, Chunk, 1, cancellationToken);

        Progress($"accuracy, REUSE: {Chunks} × (Probe of {SlowUrl}, repetitions={Chunk}; {H2Load.KeepAliveArguments(Chunk, 1)})");
        var reuse = await AlternateAsync(ConnectionMode.Reuse,
            async () => (await H2Load.KeepAliveAsync(SlowUrl, Chunk, 1, cancellationToken)).MeanRequestMs);
        Progress($"accuracy, FRESH: {Chunks} × (Probe, repetitions={Chunk}; {H2Load.ConnectionPerRequestArguments(Chunk, ConnectionPeriod)})");
        var fresh = await AlternateAsync(ConnectionMode.Fresh, async () =>
        {
            var run = await H2Load.ConnectionPerRequestAsync(SlowUrl, Chunk, ConnectionPeriod, cancellationToken);
            return run.MeanConnectMs + run.MeanRequestMs;
        });

        return
        [
            // One connection, request after request: h2load's "time for request" is the prober's attempt latency.
            new("REUSE", reuse.Prober, reuse.H2Load, $"{Chunks} × {H2Load.KeepAliveArguments(Chunk, 1)}: mean time for request"),
            // A FRESH attempt's clock starts before the connect; h2load times the connect and the request separately.
            new("FRESH", fresh.Prober, fresh.H2Load, $"{Chunks} × {H2Load.ConnectionPerRequestArguments(Chunk, ConnectionPeriod)}: mean connect + mean request"),
        ];
    }

    /// <summary>The mean latency of the prober and of h2load over <see cref="Chunks"/> alternating chunks (equal sizes: mean of means).</summary>
    private async Task<(double Prober, double H2Load)> AlternateAsync(ConnectionMode mode, Func<Task<double>> h2loadChunk)
    {
        double prober = 0, h2load = 0;
        for (var i = 0; i < Chunks; i++)
        {
            prober += (await ProbeAsync(SlowUrl, Chunk, mode)).AverageLatencyMs;
            h2load += await h2loadChunk();
        }
        return (prober / Chunks, h2load / Chunks);
    }

    /// <summary>4 concurrent Probe calls of /fast (REUSE) against h2load -c 4, in alternating rounds.</summary>
    public async Task<Overhead> OverheadAsync()
    {
        const int Total = Callers * ProbesPerCaller;
        Progress($"overhead: {Callers} × Probe(/fast, repetitions={ProbesPerCaller}, REUSE) vs {H2Load.KeepAliveArguments(Total, Callers)}, "
            + $"1 warm-up + {OverheadRounds} rounds");
        await ConcurrentProbesAsync();
        await H2Load.KeepAliveAsync(FastUrl, Total, Callers, cancellationToken);
        var probes = new List<double>();
        var direct = new List<double>();
        for (var round = 0; round < OverheadRounds; round++)
        {
            probes.Add(await ConcurrentProbesAsync());
            direct.Add((await H2Load.KeepAliveAsync(FastUrl, Total, Callers, cancellationToken)).RequestsPerSecond);
        }
        return new Overhead(probes, direct);
    }

    public void Dispose() => _channel.Dispose();

    private async Task<double> ConcurrentProbesAsync()
    {
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => ProbeAsync(FastUrl, ProbesPerCaller, ConnectionMode.Reuse)));
        return Callers * ProbesPerCaller / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private async Task<ProbeReply> ProbeAsync(string url, int repetitions, ConnectionMode mode)
    {
        var request = new ProbeRequest
        {
            Endpoint = url,
            Repetitions = repetitions,
            ConnectionMode = mode,
            AttemptTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(5)),
        };
        var reply = await Client.ProbeAsync(request, deadline: DateTime.UtcNow.AddSeconds(60), cancellationToken: cancellationToken).ResponseAsync;
        // A figure counts only if every attempt got its 200.
        if (reply.SuccessCount != repetitions)
        {
            throw new InvalidOperationException($"Probe of {url} ({mode}): {reply.SuccessCount}/{repetitions} succeeded: {string.Join("; ", reply.FailureReasons)}");
        }
        return reply;
    }

    private static void Progress(string text) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {text}");
}
