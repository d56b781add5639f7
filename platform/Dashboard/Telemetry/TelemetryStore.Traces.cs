namespace AspireProber.Dashboard.Telemetry;

// Traces: a dictionary by trace id for lookups and appends, and a linked list in order of arrival for eviction
// (oldest trace first) and for listing (newest first).
public sealed partial class TelemetryStore
{
    private readonly Dictionary<string, TraceEntry> _traces = new(StringComparer.Ordinal);
    private readonly LinkedList<TraceEntry> _traceOrder = new();
    private readonly Lock _traceLock = new();
    private long _spanCount;
    private long _droppedTraces;
    private long _droppedSpans;

    /// <summary>Traces matching <paramref name="query"/>, most recently arrived first.</summary>
    public IReadOnlyList<TraceSummary> GetTraces(TraceQuery query)
    {
        var result = new List<TraceSummary>();
        lock (_traceLock)
        {
            for (var node = _traceOrder.Last; node is not null && result.Count < query.Limit; node = node.Previous)
            {
                var trace = node.Value;
                if ((query.ErrorsOnly && trace.ErrorCount == 0)
                    || (query.MinDuration is { } min && trace.End - trace.Start < min)
                    || ((query.ServiceName ?? query.InstanceId) is not null && !trace.Resources.Any(r => r.Matches(query.ServiceName, query.InstanceId))))
                {
                    continue;
                }
                result.Add(trace.ToSummary());
            }
        }
        return result;
    }

    /// <summary>One trace with its spans ordered by start time, or null when it is unknown (or was dropped).</summary>
    public TelemetryTrace? GetTrace(string traceId)
    {
        lock (_traceLock)
        {
            if (!_traces.TryGetValue(traceId.ToLowerInvariant(), out var trace))
            {
                return null;
            }
            var spans = trace.Spans.ToArray();
            Array.Sort(spans, static (a, b) => a.StartTime.CompareTo(b.StartTime));
            return new TelemetryTrace(trace.ToSummary(), spans);
        }
    }

    private void AddSpans(IReadOnlyList<TelemetrySpan> spans)
    {
        lock (_traceLock)
        {
            foreach (var span in spans)
            {
                if (!_traces.TryGetValue(span.TraceId, out var trace))
                {
                    if (_traces.Count == Limits.MaxTraceCount)
                    {
                        var oldest = _traceOrder.First!.Value;
                        _traceOrder.RemoveFirst();
                        _traces.Remove(oldest.TraceId);
                        _droppedTraces++;
                        _droppedSpans += oldest.Spans.Count;
                        _spanCount -= oldest.Spans.Count;
                    }
                    trace = new TraceEntry(span.TraceId);
                    _traces.Add(span.TraceId, trace);
                    _traceOrder.AddLast(trace);
                }
                trace.Add(span);
                _spanCount++;
            }
        }
    }

    /// <summary>A stored trace; changed only under the trace lock.</summary>
    private sealed class TraceEntry(string traceId)
    {
        public string TraceId { get; } = traceId;
        public List<TelemetrySpan> Spans { get; } = [];
        public List<ResourceKey> Resources { get; } = [];
        public DateTime Start { get; private set; } = DateTime.MaxValue;
        public DateTime End { get; private set; } = DateTime.MinValue;
        public int ErrorCount { get; private set; }
        private TelemetrySpan? _root;

        public void Add(TelemetrySpan span)
        {
            Spans.Add(span);
            if (!Resources.Contains(span.Resource))
            {
                Resources.Add(span.Resource);
            }
            if (span.StartTime < Start)
            {
                Start = span.StartTime;
            }
            if (span.EndTime > End)
            {
                End = span.EndTime;
            }
            if (span.StatusCode == TelemetryStatusCode.Error)
            {
                ErrorCount++;
            }
            // The root names the trace; until it arrives, the earliest span does.
            if (_root is null || (_root.ParentSpanId is not null && (span.ParentSpanId is null || span.StartTime < _root.StartTime)))
            {
                _root = span;
            }
        }

        public TraceSummary ToSummary() =>
            new(TraceId, _root?.Name ?? "", Start, End > Start ? End - Start : TimeSpan.Zero, Spans.Count, ErrorCount, Resources.ToArray());
    }
}
