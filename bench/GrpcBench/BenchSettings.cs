namespace AspireProber.GrpcBench;

/// <summary>
/// The gRPC benchmark's workload. One place, so every server gets exactly the same arguments and the report
/// can print what was run.
/// </summary>
internal sealed record BenchSettings
{
    public int Requests { get; init; } = 200_000;
    public int Connections { get; init; } = 4;
    public int StreamsPerConnection { get; init; } = 50;

    /// <summary>
    /// Unmeasured runs, identical to the measured ones, before a server's first measured run: they let the
    /// JIT's tiering (and PGO) settle; with 50,000 warm-up calls the first measured run was still half speed.
    /// </summary>
    public int WarmupRuns { get; init; } = 2;

    /// <summary>Each figure is the median of this many runs (5: the machine is shared, and single runs swing by ±30 %).</summary>
    public int Repeats { get; init; } = 5;

    /// <summary>Messages per streaming call: at grpc-go's rate 100,000 took only ~0.15 s, too short to time well.</summary>
    public int StreamMessages { get; init; } = 200_000;
    public int StreamMessageSize { get; init; } = 100;

    /// <summary>Bytes in the unary request's payload (response_size stays 0).</summary>
    public int UnaryPayloadSize { get; init; } = 8;

    /// <summary>Upper bound on any single child run, so a wedged server cannot hang the benchmark.</summary>
    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromMinutes(2);
}
