using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AspireProber.Dashboard.Telemetry;

/// <summary>Loads <see cref="DashboardOptions.ImportFile"/> into the store before the dashboard starts listening.</summary>
internal sealed partial class TelemetryImportAtStartup(TelemetryStore store, IOptions<DashboardOptions> options, ILogger<TelemetryImportAtStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.ImportFile is not { Length: > 0 } path)
        {
            return;
        }
        TelemetryExport? export;
        try
        {
            await using var file = File.OpenRead(path);
            export = await JsonSerializer.DeserializeAsync<TelemetryExport>(file, TelemetryExport.JsonOptions, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new InvalidOperationException($"Cannot import telemetry from '{path}': {ex.Message}", ex);
        }
        try
        {
            store.Import(export ?? throw new TelemetryImportException("the file holds JSON null."));
        }
        catch (TelemetryImportException ex)
        {
            throw new InvalidOperationException($"Cannot import telemetry from '{path}': {ex.Message}", ex);
        }
        LogImported(path, export.Spans.Count, export.Logs.Count, export.Metrics.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Imported telemetry from {Path}: {SpanCount} spans, {LogCount} logs, {InstrumentCount} instruments")]
    private partial void LogImported(string path, int spanCount, int logCount, int instrumentCount);
}
