using AspireProber.Dashboard.Telemetry;

namespace AspireProber.Dashboard.Tests.Telemetry;

/// <summary>Percentiles from bucket counts, and the window between two cumulative points.</summary>
public sealed class HistogramValueTests
{
    private static readonly double[] Bounds = [0.1, 1, 10];

    [Fact]
    public void Percentiles_interpolate_inside_the_bucket_holding_the_rank()
    {
        // 10 measurements: 2 up to 0.1, 6 in (0.1, 1], 2 in (1, 10], none above; min 0.05, max 8.
        var histogram = new HistogramValue(10, 20, 0.05, 8, Bounds, [2, 6, 2, 0]);

        Assert.Equal(0.05 + (0.1 - 0.05) * 1 / 2, histogram.Percentile(0.1)!.Value, 9);
        Assert.Equal(0.1 + (1 - 0.1) * 3 / 6, histogram.Percentile(0.5)!.Value, 9);
        Assert.Equal(1 + (10 - 1) * 1.0 / 2, histogram.Percentile(0.9)!.Value, 9);
        Assert.Null(new HistogramValue(0, 0, null, null, Bounds, [0, 0, 0, 0]).Percentile(0.5));
    }

    [Fact]
    public void The_last_bucket_ends_at_the_maximum()
    {
        var histogram = new HistogramValue(2, 40, 20, 30, Bounds, [0, 0, 0, 2]);

        Assert.Equal(10 + (30 - 10) * 1.0 / 2, histogram.Percentile(0.5)!.Value, 9);
    }

    [Fact]
    public void Since_gives_the_window_between_two_points_and_null_after_a_restart()
    {
        var earlier = new HistogramValue(4, 2, 0.05, 0.9, Bounds, [2, 2, 0, 0]);
        var later = new HistogramValue(7, 9, 0.05, 5, Bounds, [2, 3, 2, 0]);

        var window = later.Since(earlier)!;

        Assert.Equal((3UL, 7.0), (window.Count, window.Sum));
        Assert.Equal([0UL, 1UL, 2UL, 0UL], window.BucketCounts);
        Assert.Null(earlier.Since(later));
    }
}
