using System.Globalization;

namespace AspireProber.Dashboard.Components.Charts;

/// <summary>
/// Where things go in a <see cref="LineChart"/>: the time and value domains (rounded out to "nice" tick steps), the
/// ticks, and the mapping of (time, value) to SVG coordinates. Pure arithmetic, so tests can check it exactly.
/// </summary>
public sealed class ChartGeometry
{
    /// <summary>Left margin: room for the value labels.</summary>
    public const double MarginLeft = 56;

    /// <summary>Right margin.</summary>
    public const double MarginRight = 12;

    /// <summary>Top margin.</summary>
    public const double MarginTop = 10;

    /// <summary>Bottom margin: room for the time labels and the legend.</summary>
    public const double MarginBottom = 44;

    private const int TargetTickCount = 5;

    // Steps a time axis may use, so ticks land on round clock times.
    private static readonly TimeSpan[] TimeSteps =
    [
        TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10),
        TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2),
        TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(6), TimeSpan.FromHours(12), TimeSpan.FromDays(1),
    ];

    /// <summary>Lays out a chart for some series.</summary>
    /// <param name="series">The lines to draw; their finite points set the domains.</param>
    /// <param name="width">SVG width.</param>
    /// <param name="height">SVG height.</param>
    /// <param name="from">Left edge of the time axis; the earliest point when null.</param>
    /// <param name="to">Right edge of the time axis; the latest point when null.</param>
    /// <param name="yMin">Bottom of the value axis; 0, or the smallest value when negative, when null.</param>
    public ChartGeometry(IReadOnlyList<ChartSeries> series, double width, double height, DateTimeOffset? from = null, DateTimeOffset? to = null, double? yMin = null)
    {
        Width = width;
        Height = height;
        var points = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.Value)).ToArray();
        From = from ?? (points.Length > 0 ? points.Min(p => p.Time) : DateTimeOffset.UnixEpoch);
        To = to ?? (points.Length > 0 ? points.Max(p => p.Time) : From + TimeSpan.FromMinutes(1));
        if (To <= From)
        {
            To = From + TimeSpan.FromSeconds(1);
        }

        var low = yMin ?? Math.Min(0, points.Length > 0 ? points.Min(p => p.Value) : 0);
        var high = points.Length > 0 ? Math.Max(points.Max(p => p.Value), low) : low + 1;
        if (high <= low)
        {
            high = low + 1;
        }
        YStep = NiceStep((high - low) / TargetTickCount);
        YMin = Math.Floor(low / YStep) * YStep;
        YMax = Math.Ceiling(high / YStep) * YStep;
        YTicks = Enumerable.Range(0, (int)Math.Round((YMax - YMin) / YStep) + 1).Select(i => YMin + (i * YStep)).ToArray();

        TimeStep = TimeSteps.FirstOrDefault(s => s >= (To - From) / TargetTickCount, TimeSteps[^1]);
        var first = From.ToUnixTimeMilliseconds() / (long)TimeStep.TotalMilliseconds * (long)TimeStep.TotalMilliseconds;
        var ticks = new List<DateTimeOffset>();
        for (var t = DateTimeOffset.FromUnixTimeMilliseconds(first); t <= To; t += TimeStep)
        {
            if (t >= From)
            {
                ticks.Add(t.ToOffset(From.Offset));
            }
        }
        TimeTicks = ticks;
    }

    /// <summary>SVG width.</summary>
    public double Width { get; }

    /// <summary>SVG height.</summary>
    public double Height { get; }

    /// <summary>Left edge of the time axis.</summary>
    public DateTimeOffset From { get; }

    /// <summary>Right edge of the time axis.</summary>
    public DateTimeOffset To { get; }

    /// <summary>Bottom of the value axis (a multiple of <see cref="YStep"/>).</summary>
    public double YMin { get; }

    /// <summary>Top of the value axis (a multiple of <see cref="YStep"/>).</summary>
    public double YMax { get; }

    /// <summary>Distance between value ticks: 1, 2 or 5 times a power of ten.</summary>
    public double YStep { get; }

    /// <summary>Value ticks, bottom to top.</summary>
    public IReadOnlyList<double> YTicks { get; }

    /// <summary>Distance between time ticks (a round clock step).</summary>
    public TimeSpan TimeStep { get; }

    /// <summary>Time ticks, left to right, at multiples of <see cref="TimeStep"/>.</summary>
    public IReadOnlyList<DateTimeOffset> TimeTicks { get; }

    /// <summary>Left edge of the plot area.</summary>
    public double PlotLeft => MarginLeft;

    /// <summary>Right edge of the plot area.</summary>
    public double PlotRight => Width - MarginRight;

    /// <summary>Top edge of the plot area.</summary>
    public double PlotTop => MarginTop;

    /// <summary>Bottom edge of the plot area (the time axis).</summary>
    public double PlotBottom => Height - MarginBottom;

    /// <summary>The x coordinate of <paramref name="time"/>.</summary>
    public double X(DateTimeOffset time) =>
        PlotLeft + ((time - From).TotalMilliseconds / (To - From).TotalMilliseconds * (PlotRight - PlotLeft));

    /// <summary>The y coordinate of <paramref name="value"/> (SVG y grows downwards).</summary>
    public double Y(double value) => PlotBottom - ((value - YMin) / (YMax - YMin) * (PlotBottom - PlotTop));

    /// <summary>A coordinate as SVG text: invariant culture, two decimals at most.</summary>
    public static string Format(double coordinate) => Math.Round(coordinate, 2).ToString(CultureInfo.InvariantCulture);

    /// <summary>The SVG path of a series: "M x y L x y ..." through its finite points in time order; empty without points.</summary>
    public string PathOf(ChartSeries series)
    {
        var points = series.Points.Where(p => double.IsFinite(p.Value)).OrderBy(p => p.Time).ToArray();
        return string.Join(" ", points.Select((p, i) => $"{(i == 0 ? "M" : "L")}{Format(X(p.Time))} {Format(Y(p.Value))}"));
    }

    /// <summary>1, 2 or 5 times a power of ten, the smallest not below <paramref name="raw"/>.</summary>
    internal static double NiceStep(double raw)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var fraction = raw / magnitude;
        return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude;
    }
}
