namespace AspireProber.GrpcBench;

/// <summary>One server's figures for one case, a value per run; the report uses the median.</summary>
internal sealed record Measurement(string Server, IReadOnlyList<double> Runs)
{
    public double Median
    {
        get
        {
            var sorted = Runs.Order().ToArray();
            var middle = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        }
    }
}

/// <summary>
/// A throughput figure and the server's CPU time per operation over the same runs: when the load generator
/// (itself on one of the 2 cores) is the limit, throughput alone hides how much work each server does.
/// </summary>
internal sealed record ThroughputMeasurement(Measurement PerSecond, Measurement CpuMicrosecondsPerOperation);

/// <summary>Bytes allocated per unary call (one value per run), and the sampled split of those bytes by type.</summary>
internal sealed record AllocationMeasurement(Measurement BytesPerCall, IReadOnlyList<AllocationSampler.TypeShare> TopTypes);
