using System.Text.Json;
using System.Text.Json.Serialization;

namespace AspireProber.Dashboard.Telemetry;

/// <summary>
/// Everything a store holds, as one JSON document (GET /api/telemetry/export; POST /api/telemetry/import and
/// <c>--import</c> read it back). Spans are listed trace by trace in order of arrival, logs oldest first, metric points
/// cumulative (see <see cref="MetricPoint"/>). Property names are camelCase, enums are strings, times are ISO 8601 UTC.
/// </summary>
/// <param name="Format">Always <see cref="FormatName"/>: says what the file is.</param>
/// <param name="Version">The shape's version, <see cref="CurrentVersion"/>; a change that old readers cannot read increments it.</param>
public sealed record TelemetryExport(
    string Format,
    int Version,
    DateTime ExportedAt,
    IReadOnlyList<TelemetryResource> Resources,
    IReadOnlyList<TelemetrySpan> Spans,
    IReadOnlyList<TelemetryLog> Logs,
    IReadOnlyList<MetricInstrument> Metrics)
{
    /// <summary>The value of <see cref="Format"/>.</summary>
    public const string FormatName = "aspireprober.telemetry";

    /// <summary>The version this build writes and reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>The serializer settings of the document.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        // Gauges may legitimately report NaN or infinities.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
    };
}

/// <summary>A telemetry document that cannot be imported; the message says why.</summary>
public sealed class TelemetryImportException(string message) : Exception(message);
