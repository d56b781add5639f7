namespace AspireProber.HostileBench;

/// <summary>One process's figures at one moment: what the OS sees, what it reports of itself, and how big that report is.</summary>
/// <param name="ResidentBytes">VmRSS.</param>
/// <param name="HeapBytes">The managed heap as its <c>/metrics</c> says (<see cref="MeasuredProcess.HeapMetric"/>); null when it has no such metric.</param>
/// <param name="MetricsBytes">The size of its <c>/metrics</c> response body.</param>
/// <param name="SamplesByName">The samples (non-comment lines) in it, per metric name (a histogram's _bucket, _count and _sum apart).</param>
/// <param name="HeadSeries">Prometheus' series in memory (prometheus_tsdb_head_series); null for the services.</param>
internal sealed record Figures(long ResidentBytes, double? HeapBytes, long MetricsBytes, IReadOnlyDictionary<string, int> SamplesByName, double? HeadSeries)
{
    /// <summary>
    /// Reads <paramref name="process"/>'s figures: VmRSS first, then one scrape of its /metrics, so that the scrape's
    /// own allocations are not in the resident set read. Nothing else is asked of it (no collection is forced).
    /// </summary>
    public static async Task<Figures> OfAsync(MeasuredProcess process, HttpClient http, CancellationToken cancellationToken)
    {
        var resident = ProcMemory.ResidentBytes(process.Pid)
            ?? throw new InvalidOperationException($"{process.Name} (process {process.Pid}) has ended.");
        var body = await http.GetByteArrayAsync(process.Metrics, cancellationToken);
        var text = System.Text.Encoding.UTF8.GetString(body);
        var samples = text.Split('\n').Where(line => line.Length > 0 && !line.StartsWith('#'))
            .GroupBy(line => line[..line.IndexOfAny(['{', ' '])]).ToDictionary(g => g.Key, g => g.Count());
        return new Figures(resident, MetricsText.Sum(text, process.HeapMetric), body.LongLength, samples, MetricsText.Value(text, "prometheus_tsdb_head_series"));
    }

    /// <summary>The samples in its /metrics.</summary>
    public int MetricsSamples => SamplesByName.Values.Sum();

    /// <summary>Every process's figures, one after another.</summary>
    public static async Task<IReadOnlyList<Figures>> OfAsync(IReadOnlyList<MeasuredProcess> processes, HttpClient http, CancellationToken cancellationToken)
    {
        var figures = new List<Figures>(processes.Count);
        foreach (var process in processes)
        {
            figures.Add(await OfAsync(process, http, cancellationToken));
        }
        return figures;
    }
}
