namespace AspireProber.Dashboard.Components.Charts;

/// <summary>One sample of a series: a value at a time.</summary>
/// <param name="Time">When the value was observed.</param>
/// <param name="Value">The value (a count, rate, latency, ...); NaN and infinities are skipped.</param>
public readonly record struct ChartPoint(DateTimeOffset Time, double Value);

/// <summary>A named line of a <see cref="LineChart"/>.</summary>
/// <param name="Name">Shown in the legend and the tooltips.</param>
/// <param name="Points">The samples, in any order (they are drawn sorted by time).</param>
public sealed record ChartSeries(string Name, IReadOnlyList<ChartPoint> Points);
