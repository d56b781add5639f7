using System.Globalization;
using System.Text;

namespace AspireProber.ServicesBench;

/// <summary>The printed result: per goal in bench/README.md the figures it rests on, the ratio and whether it is met.</summary>
internal sealed class Report
{
    private const double MiB = 1024 * 1024;

    private readonly StringBuilder _text = new();

    public void Accuracy(IReadOnlyList<ProberBench.Accuracy> results)
    {
        Line();
        Line($"1. Accuracy: {ProberBench.AccuracyProbes} probes of /slow?ms={ProberBench.SlowMs} per mode vs 200 h2load requests, same target, alternating chunks of 20");
        Line($"  {"mode",-7}{"prober mean",14}{"h2load mean",14}{"ratio",9}   goal");
        foreach (var result in results)
        {
            var met = Math.Abs(result.Ratio - 1) <= 0.05;
            Line($"  {result.Mode,-7}{Ms(result.ProberMeanMs),14}{Ms(result.H2LoadMeanMs),14}{result.Ratio,9:0.000}   "
                + $"within 5%: {(met ? "met" : "MISSED")}");
        }
        foreach (var result in results)
        {
            Line($"  h2load for {result.Mode}: {result.H2LoadRun}");
        }
    }

    public void Overhead(ProberBench.Overhead result)
    {
        Line();
        Line($"2. Overhead: {ProberBench.Callers} concurrent Probe(/fast, repetitions={ProberBench.ProbesPerCaller}, REUSE) through one replica "
            + $"vs h2load --h1 -c {ProberBench.Callers}, {ProberBench.OverheadRounds} alternating rounds");
        Line($"  probes/s through the prober: {Runs(result.ProbesPerSecond)}  median {Median(result.ProbesPerSecond),8:N0}");
        Line($"  direct requests/s (h2load):  {Runs(result.DirectPerSecond)}  median {Median(result.DirectPerSecond),8:N0}");
        Line($"  ratio probes/s ÷ direct requests/s: {Median(result.ProbesPerSecond) / Median(result.DirectPerSecond):0.000}   (context, no target)");
    }

    public void Backpressure(BackpressureBench.Result stalled, BackpressureBench.Result control)
    {
        Line();
        Line($"3. Backpressure: consumer \"{BackpressureBench.StalledConsumer}\" stops reading for {stalled.Stall.TotalSeconds:0} s, generator at "
            + $"{BackpressureBench.UpdatesPerSecond} updates/s ({Count(stalled.UpdatesMadeDuringStall)} made during the stall); control: an identical "
            + $"service whose consumer \"{BackpressureBench.ReadingConsumer}\" keeps reading, at the same time");
        var growth = stalled.After.Resident - stalled.Before.Resident;
        var controlGrowth = control.After.Resident - control.Before.Resident;
        Rss("stalled", stalled);
        Rss("control", control);
        // What tells retention from the GC's budgets: a leak grows the heap a collection leaves; budgets settling
        // grow what the GC keeps committed (and so the anonymous memory) while that heap stays.
        Line($"  during the stall, stalled / control [MiB]: anonymous memory {Growth(stalled, m => m.Anonymous)} / {Growth(control, m => m.Anonymous)}; "
            + $"GC committed {Growth(stalled, m => m.GcCommitted)} / {Growth(control, m => m.GcCommitted)}; "
            + $"managed heap after the last GC {Growth(stalled, m => m.HeapAfterLastGc)} / {Growth(control, m => m.HeapAfterLastGc)} "
            + $"(from {stalled.Before.HeapAfterLastGc / MiB:0.0} / {control.Before.HeapAfterLastGc / MiB:0.0}); "
            + $"GCs gen0/gen1/gen2 {Collections(stalled)} / {Collections(control)}");
        Line($"  growth with the stall {growth / MiB:+0.00;-0.00} MiB   goal < 5 MiB: {(growth < 5 * MiB ? "met" : "MISSED")}");
        Line($"  growth with the stall − growth of the control: {(growth - controlGrowth) / MiB:+0.00;-0.00} MiB   "
            + $"< 5 MiB: {(growth - controlGrowth < 5 * MiB ? "met" : "MISSED")}");
        Line($"  sent (stock_updates_sent_total) {stalled.Sent:N0} − received {stalled.Received:N0} = {stalled.Unread:N0} updates "
            + $"(~{stalled.Unread * stalled.MeanFrameBytes / 1024:0.0} KiB of {stalled.MeanFrameBytes:0.0}-byte frames)");
        Line($"  flow-control windows hold {BackpressureBench.WindowBytes:N0} bytes = {stalled.Bound:N0} updates "
            + "(client stream window 65,535 + Kestrel response buffer 65,536 + client read-ahead 4,096, + the pending write)   "
            + $"within: {(stalled.Unread >= 0 && stalled.Unread <= stalled.Bound ? "met" : "MISSED")}");
    }

    private void Rss(string name, BackpressureBench.Result result)
    {
        var growth = result.After.Resident - result.Before.Resident;
        Line($"  {name} VmRSS [MiB]: {result.Before.Resident / MiB:0.0} before, then every 5 s: "
            + $"{string.Join(" ", result.RssSamples.Select(r => (r / MiB).ToString("0.0", CultureInfo.InvariantCulture)))}  → {growth / MiB:+0.00;-0.00}");
    }

    private static string Growth(BackpressureBench.Result result, Func<BackpressureBench.Memory, long> figure) =>
        ((figure(result.After) - figure(result.Before)) / MiB).ToString("+0.00;-0.00", CultureInfo.InvariantCulture);

    private static string Collections(BackpressureBench.Result result) =>
        $"{result.After.Gen0Collections - result.Before.Gen0Collections}/{result.After.Gen1Collections - result.Before.Gen1Collections}/"
        + $"{result.After.Gen2Collections - result.Before.Gen2Collections}";

    private static string Count(long value) => value >= 0 ? value.ToString("N0", CultureInfo.InvariantCulture) : "?";

    public void Line(string text = "") => _text.AppendLine(text);

    public override string ToString() => _text.ToString();

    private static string Ms(double value) => value.ToString("0.00", CultureInfo.InvariantCulture) + " ms";

    private static string Runs(IEnumerable<double> runs) => string.Concat(runs.Select(r => r.ToString("N0", CultureInfo.InvariantCulture).PadLeft(9)));

    private static double Median(IReadOnlyList<double> runs)
    {
        var sorted = runs.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
