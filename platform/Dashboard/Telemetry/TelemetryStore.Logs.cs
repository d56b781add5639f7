namespace AspireProber.Dashboard.Telemetry;

// Logs: one ring buffer in order of arrival; ids are assigned here so they grow with arrival.
public sealed partial class TelemetryStore
{
    private readonly RingBuffer<TelemetryLog> _logs;
    private readonly Lock _logLock = new();
    private long _lastLogId;
    private long _droppedLogs;

    /// <summary>Log records matching <paramref name="query"/>, newest first.</summary>
    public IReadOnlyList<TelemetryLog> GetLogs(LogQuery query)
    {
        var result = new List<TelemetryLog>();
        lock (_logLock)
        {
            for (var i = _logs.Count - 1; i >= 0 && result.Count < query.Limit; i--)
            {
                var log = _logs[i];
                if (log.Id <= query.AfterId)
                {
                    break;
                }
                if (log.Severity >= query.MinSeverity
                    && log.Resource.Matches(query.ServiceName, query.InstanceId)
                    && (query.TraceId is null || string.Equals(log.TraceId, query.TraceId, StringComparison.OrdinalIgnoreCase))
                    && (string.IsNullOrEmpty(query.Text) || ContainsText(log, query.Text)))
                {
                    result.Add(log);
                }
            }
        }
        return result;
    }

    private static bool ContainsText(TelemetryLog log, string text) =>
        log.Body.Contains(text, StringComparison.OrdinalIgnoreCase)
        || log.Attributes.Any(a => a.Value.Contains(text, StringComparison.OrdinalIgnoreCase));

    private void AddLogs(IReadOnlyList<TelemetryLog> logs)
    {
        lock (_logLock)
        {
            foreach (var log in logs)
            {
                if (_logs.Add(log with { Id = ++_lastLogId }))
                {
                    _droppedLogs++;
                }
            }
        }
    }
}
