using AspireProber.Dashboard.Telemetry;

namespace AspireProber.Dashboard.Components.Telemetry;

/// <summary>One row of a trace's waterfall: a span, how deep it nests, and where its bar goes (percent of the trace's width).</summary>
/// <param name="Depth">0 for a root (or a span whose parent has not arrived), its parent's depth plus one otherwise.</param>
/// <param name="Offset">Start of the bar: percent of the trace's duration after the trace's start.</param>
/// <param name="Width">Length of the bar in percent, at least <see cref="Waterfall.MinWidth"/> so instant spans stay visible.</param>
public sealed record WaterfallRow(TelemetrySpan Span, int Depth, double Offset, double Width)
{
    /// <summary>
    /// Where the duration label goes: right of the bar when there is room there, inside it when the bar is wide
    /// enough, else on its left — never past the track's right edge, where it would be cut off.
    /// </summary>
    public DurationLabelPlacement LabelPlacement =>
        Offset + Width <= 85 ? DurationLabelPlacement.After : Width >= 15 ? DurationLabelPlacement.Inside : DurationLabelPlacement.Before;
}

/// <summary>Where a waterfall bar's duration label sits relative to the bar.</summary>
public enum DurationLabelPlacement
{
    /// <summary>Right of the bar.</summary>
    After,
    /// <summary>Over the bar's left end.</summary>
    Inside,
    /// <summary>Left of the bar, ending where it starts.</summary>
    Before,
}

/// <summary>Lays out a trace as a waterfall: every span under its parent, siblings by start time, bars on one time axis.</summary>
public static class Waterfall
{
    /// <summary>The narrowest bar, in percent.</summary>
    public const double MinWidth = 0.3;

    /// <summary>The rows of <paramref name="trace"/> in display order (depth first).</summary>
    public static IReadOnlyList<WaterfallRow> Layout(TelemetryTrace trace)
    {
        var start = trace.Summary.StartTime;
        var total = Math.Max(trace.Summary.Duration.TotalMilliseconds, 0.001);
        var ids = trace.Spans.Select(s => s.SpanId).ToHashSet(StringComparer.Ordinal);
        // Spans arrive sorted by start time, so each list of children is too.
        var children = trace.Spans
            .Where(s => s.ParentSpanId is not null && ids.Contains(s.ParentSpanId))
            .ToLookup(s => s.ParentSpanId!, StringComparer.Ordinal);
        var rows = new List<WaterfallRow>(trace.Spans.Count);
        var visited = new HashSet<string>(StringComparer.Ordinal);
        // An explicit stack, not recursion: a trace can be thousands of spans deep (a retry loop, a long stream).
        var stack = new Stack<(TelemetrySpan Span, int Depth)>();
        // Roots first; then any span left over, which only a parent cycle from a faulty sender leaves, as a root too.
        var roots = trace.Spans.Where(s => s.ParentSpanId is null || !ids.Contains(s.ParentSpanId));
        foreach (var root in roots.Concat(trace.Spans))
        {
            stack.Push((root, 0));
            while (stack.Count > 0)
            {
                var (span, depth) = stack.Pop();
                // A sender reusing a span id must not make the layout loop or repeat rows.
                if (!visited.Add(span.SpanId))
                {
                    continue;
                }
                var offset = Math.Clamp((span.StartTime - start).TotalMilliseconds / total * 100, 0, 100 - MinWidth);
                var width = Math.Clamp(span.Duration.TotalMilliseconds / total * 100, MinWidth, 100 - offset);
                rows.Add(new WaterfallRow(span, depth, offset, width));
                foreach (var child in children[span.SpanId].Reverse())
                {
                    stack.Push((child, depth + 1));
                }
            }
        }
        return rows;
    }
}
