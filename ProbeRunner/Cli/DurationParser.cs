using System.Globalization;

namespace AspireProber.ProbeRunner.Cli;

/// <summary>Parses durations as people type them: <c>500ms</c>, <c>1s</c>, <c>1.5s</c>, <c>2m</c>, or <c>00:00:01</c>.</summary>
public static class DurationParser
{
    private static readonly (string Suffix, double Milliseconds)[] Units = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)];

    /// <summary>True when <paramref name="text"/> is a duration.</summary>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        text = text.Trim();
        // "ms" before "s" and "m": the longest suffix that matches wins.
        foreach (var (suffix, milliseconds) in Units.OrderByDescending(u => u.Suffix.Length))
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                && double.IsFinite(value))
            {
                duration = TimeSpan.FromMilliseconds(value * milliseconds);
                return true;
            }
        }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration);
    }
}
