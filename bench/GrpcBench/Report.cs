using System.Globalization;
using System.Text;

namespace AspireProber.GrpcBench;

/// <summary>The printed result: each case's runs and median per server, then the ratios against the goals in bench/README.md.</summary>
internal sealed class Report(RunEnvironment environment, BenchSettings settings)
{
    private const int NameWidth = 28;
    private const int NumberWidth = 12;

    private readonly StringBuilder _text = new();

    public void Header()
    {
        Line($"gRPC benchmark — {environment.Date:yyyy-MM-dd HH:mm} UTC, {environment.Cores} cores, {environment.Dotnet}, "
            + $"grpc-go {environment.GrpcGo}, {environment.H2Load}");
        Line($"Load average before the start: {environment.LoadAverage}. Servers are loaded one at a time, in rounds; "
            + $"each figure is the median of {settings.Repeats} runs after {settings.WarmupRuns} warm-up run(s).");
    }

    public void Table(string title, string unit, IReadOnlyList<Measurement> measurements)
    {
        Line();
        Line($"{title}  [{unit}]");
        var header = new StringBuilder($"  {"server",-NameWidth}");
        for (var i = 1; i <= settings.Repeats; i++)
        {
            header.Append($"{"run " + i,NumberWidth}");
        }
        Line(header.Append($"{"median",NumberWidth}").ToString());
        foreach (var measurement in measurements)
        {
            Row(measurement);
        }
    }

    public void Throughput(string title, string unit, string operation, IReadOnlyList<ThroughputMeasurement> measurements)
    {
        Table(title, unit, measurements.Select(m => m.PerSecond).ToList());
        Line($"  server CPU per {operation} [µs]");
        foreach (var measurement in measurements)
        {
            Row(measurement.CpuMicrosecondsPerOperation);
        }
    }

    public void AllocationsByType(AllocationMeasurement measurement)
    {
        Line($"  {measurement.BytesPerCall.Server} by type (GC allocation-tick samples, share × median bytes/call):");
        foreach (var type in measurement.TopTypes)
        {
            Line($"    {Number(type.Share * measurement.BytesPerCall.Median),8} B  {type.Share,6:P1}  {type.Type}");
        }
    }

    public void Goals(IEnumerable<Goal> goals)
    {
        Line();
        Line("Goals");
        foreach (var goal in goals)
        {
            var verdict = goal.Target.Length == 0 ? "(context, no goal)" : goal.Met ? "met" : "MISSED";
            Line($"  {goal.Name,-46}{goal.Value,10:0.00}   {goal.Target,-10}{verdict}");
        }
    }

    public void Note(string text) => Line(text);

    public override string ToString() => _text.ToString();

    private void Row(Measurement measurement)
    {
        var row = new StringBuilder($"  {measurement.Server,-NameWidth}");
        foreach (var run in measurement.Runs)
        {
            row.Append(Number(run).PadLeft(NumberWidth));
        }
        Line(row.Append(Number(measurement.Median).PadLeft(NumberWidth)).ToString());
    }

    private void Line(string text = "") => _text.AppendLine(text);

    private static string Number(double value) => value.ToString(value >= 100 ? "N0" : value >= 10 ? "N1" : "N2", CultureInfo.InvariantCulture);

    public sealed record Goal(string Name, double Value, string Target, bool Met)
    {
        public static Goal AtLeast(string name, double value, double minimum) =>
            new(name, value, $"≥ {minimum.ToString("0.00", CultureInfo.InvariantCulture)}", value >= minimum);

        public static Goal Below(string name, double value, double maximum) =>
            new(name, value, $"< {maximum.ToString("0", CultureInfo.InvariantCulture)}", value < maximum);

        /// <summary>A ratio shown to explain the goals around it, with no target of its own.</summary>
        public static Goal Info(string name, double value) => new(name, value, "", true);
    }
}
