using System.Globalization;

namespace AspireProber.HostileBench;

/// <summary>The report on stdout: per process the figures at rest and after the session, per case the outcomes, and the expectations.</summary>
internal static class Report
{
    /// <summary>Every service's /metrics after the session stays under this.</summary>
    public const long MetricsLimitBytes = 512 * 1024;

    /// <summary>Each prober replica's and the stock service's VmRSS grows by at most this.</summary>
    public const long ServiceGrowthLimitBytes = 20 * MiB;

    /// <summary>"Flat" for Prometheus' VmRSS, as this bench reads it: within this of at rest, either way.</summary>
    public const long PrometheusDriftLimitBytes = 10 * MiB;

    private const long MiB = 1024 * 1024;

    /// <summary>What the run did and saw.</summary>
    public sealed record Run(string Configuration, int Rounds, string LoadBefore, string LoadAfter, DateTimeOffset Started, TimeSpan Healthy,
        TimeSpan Settle, IReadOnlyList<MeasuredProcess> Processes, IReadOnlyList<Figures> AtRest, IReadOnlyList<IReadOnlyList<Figures>> AfterRounds,
        IReadOnlyList<(HostileCase Case, Outcomes Outcomes)> Cases, TimeSpan Stopped, IReadOnlyList<string> Survivors);

    public static void Print(Run run)
    {
        var after = run.AfterRounds[^1];
        Console.WriteLine();
        Console.WriteLine($"HostileBench {run.Started:yyyy-MM-dd HH:mm} UTC, {run.Rounds} round(s) ({run.Configuration}, {Environment.ProcessorCount} cores, "
            + $"load average before: {run.LoadBefore}, after: {run.LoadAfter})");
        Console.WriteLine($"Every replica healthy after {run.Healthy.TotalSeconds:0.0} s; at rest {run.Settle.TotalSeconds:0} s later; after: "
            + $"{run.Settle.TotalSeconds:0} s after the {(run.Rounds == 1 ? "session" : "last round")} (no collection forced). Hostile caller: {HostileCaller.Address}.");
        Console.WriteLine();
        Console.WriteLine($"  {"process",-20} {"pid",7}  {"VmRSS MiB: at rest → after (Δ)",-32}  {"heap MiB: at rest → after",-26}  /metrics KiB: at rest → after (samples)");
        foreach (var (process, i) in run.Processes.Select((p, i) => (p, i)))
        {
            var (rest, last) = (run.AtRest[i], after[i]);
            var resident = $"{Mebibytes(rest.ResidentBytes),6} → {Mebibytes(last.ResidentBytes),6} ({Signed(last.ResidentBytes - rest.ResidentBytes)})";
            var heap = rest.HeapBytes is null || last.HeapBytes is null ? "—" : $"{Mebibytes(rest.HeapBytes.Value),6} → {Mebibytes(last.HeapBytes.Value),6}";
            var metrics = $"{Kibibytes(rest.MetricsBytes),6} → {Kibibytes(last.MetricsBytes),6} ({rest.MetricsSamples:N0} → {last.MetricsSamples:N0})";
            Console.WriteLine($"  {process.Name,-20} {process.Pid,7}  {resident,-32}  {heap,-26}  {metrics}");
        }
        if (run.Rounds > 1)
        {
            Console.WriteLine("  VmRSS MiB after each round: " + string.Join("; ", run.Processes.Select((p, i) =>
                $"{p.Name} {string.Join(" ", run.AfterRounds.Select(r => Mebibytes(r[i].ResidentBytes)))}")));
        }
        // Where the samples came from: the metric names that gained the most.
        foreach (var (process, i) in run.Processes.Select((p, i) => (p, i)).Where(p => after[p.i].MetricsSamples > run.AtRest[p.i].MetricsSamples))
        {
            var gains = after[i].SamplesByName.Select(m => (Name: m.Key, Gain: m.Value - run.AtRest[i].SamplesByName.GetValueOrDefault(m.Key)))
                .Where(m => m.Gain > 0).OrderByDescending(m => m.Gain).Take(4);
            Console.WriteLine($"  {process.Name} samples gained: {string.Join(", ", gains.Select(g => $"{g.Name} +{g.Gain:N0}"))}");
        }
        var prometheus = run.Processes.Select((p, i) => (p, i)).Single(p => p.p.Name == "prometheus").i;
        Console.WriteLine($"  Prometheus head series: {run.AtRest[prometheus].HeadSeries:N0} → {after[prometheus].HeadSeries:N0}");

        Console.WriteLine();
        Console.WriteLine($"Cases, status codes seen{(run.Rounds == 1 ? "" : $" over {run.Rounds} rounds")}:");
        foreach (var (hostileCase, outcomes) in run.Cases)
        {
            var notes = outcomes.Notes.Count == 0 ? "" : $"  [{string.Join("; ", outcomes.Notes)}]";
            Console.WriteLine($"  {hostileCase.Service,-7} {hostileCase.Name}: {outcomes}{notes}");
        }

        Console.WriteLine();
        Console.WriteLine("Expectations:");
        var services = run.Processes.Select((p, i) => (Process: p, AtRest: run.AtRest[i], After: after[i])).Where(p => p.Process.Name != "prometheus").ToList();
        var largest = services.MaxBy(s => s.After.MetricsBytes);
        Console.WriteLine($"  every service's /metrics under {Kibibytes(MetricsLimitBytes)} KiB after the session: "
            + $"{Verdict(services.All(s => s.After.MetricsBytes < MetricsLimitBytes))} (largest: {largest.Process.Name}, {Kibibytes(largest.After.MetricsBytes)} KiB)");
        var bounded = services.Where(s => s.Process.Name.StartsWith("prober", StringComparison.Ordinal) || s.Process.Name == "stock").ToList();
        Console.WriteLine($"  prober and stock VmRSS within {ServiceGrowthLimitBytes / MiB} MiB of at rest: "
            + $"{Verdict(bounded.All(s => s.After.ResidentBytes - s.AtRest.ResidentBytes <= ServiceGrowthLimitBytes))} ("
            + string.Join(", ", bounded.Select(s => $"{s.Process.Name} {Signed(s.After.ResidentBytes - s.AtRest.ResidentBytes)}")) + " MiB)");
        var drift = after[prometheus].ResidentBytes - run.AtRest[prometheus].ResidentBytes;
        Console.WriteLine($"  Prometheus VmRSS flat (within {PrometheusDriftLimitBytes / MiB} MiB): {Verdict(Math.Abs(drift) <= PrometheusDriftLimitBytes)} ({Signed(drift)} MiB)");

        Console.WriteLine();
        Console.WriteLine(run.Survivors.Count == 0
            ? $"Stop (SIGTERM to the AppHost): no process of the system left after {run.Stopped.TotalSeconds:0.0} s"
            : $"Stop (SIGTERM to the AppHost): {run.Survivors.Count} process(es) left after {run.Stopped.TotalSeconds:0} s (then killed): {string.Join("; ", run.Survivors)}");
    }

    private static string Verdict(bool met) => met ? "met" : "MISSED";

    private static string Mebibytes(double bytes) => (bytes / MiB).ToString("0.0", CultureInfo.InvariantCulture);

    private static string Kibibytes(long bytes) => (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture);

    private static string Signed(long bytes) => (bytes / (double)MiB).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture);
}
