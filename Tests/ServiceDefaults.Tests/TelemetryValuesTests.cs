using AspireProber.ServiceDefaults;

namespace AspireProber.ServiceDefaults.Tests;

/// <summary>A value a caller chose reaches telemetry at most 256 characters long, and still tells values apart.</summary>
public sealed class TelemetryValuesTests
{
    [Fact]
    public void Long_values_are_cut_to_a_stable_distinct_bound()
    {
        var a = new string('A', 5000) + "1";
        var b = new string('A', 5000) + "2";

        Assert.Equal("short", TelemetryValues.Bound("short"));
        Assert.Equal(TelemetryValues.MaxLength, TelemetryValues.Bound(a).Length);
        Assert.Equal(TelemetryValues.Bound(a), TelemetryValues.Bound(a));
        Assert.NotEqual(TelemetryValues.Bound(a), TelemetryValues.Bound(b));
        Assert.StartsWith(new string('A', 200), TelemetryValues.Bound(a));
    }
}
