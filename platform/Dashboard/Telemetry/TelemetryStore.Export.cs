namespace AspireProber.Dashboard.Telemetry;

// Export and import: a snapshot of everything, and the way back into a (usually fresh, standalone) store.
public sealed partial class TelemetryStore
{
    /// <summary>A snapshot of everything the store holds.</summary>
    public TelemetryExport Export()
    {
        var resources = GetResources();
        TelemetrySpan[] spans;
        lock (_traceLock)
        {
            spans = _traceOrder.SelectMany(trace => trace.Spans).ToArray();
        }
        TelemetryLog[] logs;
        lock (_logLock)
        {
            logs = _logs.ToArray();
        }
        var metrics = GetInstruments().Select(i => GetInstrument(i.ServiceName, i.Name)).OfType<MetricInstrument>().ToArray();
        return new TelemetryExport(TelemetryExport.FormatName, TelemetryExport.CurrentVersion, DateTime.UtcNow, resources, spans, logs, metrics);
    }

    /// <summary>
    /// Adds an export's content (log ids are renumbered in order). The document is checked fully first: an invalid one
    /// throws <see cref="TelemetryImportException"/> and nothing is added.
    /// </summary>
    public void Import(TelemetryExport export)
    {
        if (export.Format != TelemetryExport.FormatName)
        {
            throw new TelemetryImportException($"format is '{export.Format}'; a telemetry export has '{TelemetryExport.FormatName}'.");
        }
        if (export.Version != TelemetryExport.CurrentVersion)
        {
            throw new TelemetryImportException($"version is {export.Version}; this dashboard reads version {TelemetryExport.CurrentVersion}.");
        }
        var spans = export.Spans ?? [];
        for (var i = 0; i < spans.Count; i++)
        {
            CheckHex(spans[i].TraceId, 32, $"spans[{i}].traceId");
            CheckHex(spans[i].SpanId, 16, $"spans[{i}].spanId");
        }
        var metrics = (export.Metrics ?? []).SelectMany(instrument => instrument.Series.Select(series => new IncomingMetric(
            series.Resource,
            instrument.Info.Scope,
            instrument.Info.Name,
            instrument.Info.Unit,
            instrument.Info.Description,
            instrument.Info.Kind,
            IsDelta: false,
            series.Points.Select(point => new IncomingPoint(series.Attributes, point)).ToArray()))).ToArray();
        Add(new TelemetryBatch(export.Resources ?? [], spans, export.Logs ?? [], metrics));
    }

    private static void CheckHex(string? id, int length, string field)
    {
        if (id is null || id.Length != length || !id.All(char.IsAsciiHexDigitLower))
        {
            throw new TelemetryImportException($"{field} is '{id}'; it must be {length} lowercase hex digits.");
        }
    }
}
