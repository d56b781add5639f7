using System.Globalization;
using Grpc.Core;

namespace AspireProber.Dashboard.Components.Telemetry;

/// <summary>How the telemetry pages write times, durations, log levels and gRPC status codes.</summary>
public static class TelemetryFormat
{
    /// <summary>The span attribute holding a gRPC call's status code (OpenTelemetry's RPC conventions).</summary>
    public const string GrpcStatusAttribute = "rpc.grpc.status_code";

    /// <summary>A UTC time to the millisecond, the resolution spans and logs are compared at.</summary>
    public static string Time(DateTime utc) => utc.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);

    /// <summary>A UTC time with its date, for tooltips.</summary>
    public static string FullTime(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A duration in the unit that keeps three significant digits readable: µs, ms or s.</summary>
    public static string Duration(TimeSpan duration) => duration.TotalMilliseconds switch
    {
        < 1 => (duration.TotalMilliseconds * 1000).ToString("0", CultureInfo.InvariantCulture) + " µs",
        < 1000 => duration.TotalMilliseconds.ToString("0.##", CultureInfo.InvariantCulture) + " ms",
        _ => duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s",
    };

    /// <summary>A number for a table cell: integers with separators, others with up to four significant digits.</summary>
    public static string Number(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e15 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>The log levels a filter offers, by the lowest OTLP severity number of each.</summary>
    public static readonly IReadOnlyList<(int Severity, string Name)> Levels =
        [(1, "Trace"), (5, "Debug"), (9, "Information"), (13, "Warning"), (17, "Error"), (21, "Critical")];

    /// <summary>The level name of an OTLP severity number (1-24), "Unspecified" for 0.</summary>
    public static string Level(int severity) => severity <= 0 ? "Unspecified" : Levels.Last(l => l.Severity <= severity).Name;

    /// <summary>The CSS class colouring a severity: errors red, warnings amber, information blue, the rest grey.</summary>
    public static string LevelClass(int severity) => severity switch
    {
        >= 17 => "level-error",
        >= 13 => "level-warning",
        >= 9 => "level-info",
        _ => "level-debug",
    };

    /// <summary>
    /// The gRPC status of a span from its <see cref="GrpcStatusAttribute"/> attribute, as the spec writes it
    /// ("UNAVAILABLE (14)"); null when the span is not a gRPC call.
    /// </summary>
    public static string? GrpcStatus(IReadOnlyList<AspireProber.Dashboard.Telemetry.TelemetryAttribute> attributes)
    {
        foreach (var attribute in attributes)
        {
            if (attribute.Key == GrpcStatusAttribute)
            {
                return int.TryParse(attribute.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var code)
                    ? $"{GrpcStatusName(code)} ({code})"
                    : attribute.Value;
            }
        }
        return null;
    }

    /// <summary>The spec's name of a gRPC status code (doc/statuscodes.md): DEADLINE_EXCEEDED for 4, CODE_99 for unknown numbers.</summary>
    public static string GrpcStatusName(int code)
    {
        if (!Enum.IsDefined((StatusCode)code))
        {
            return "CODE_" + code.ToString(CultureInfo.InvariantCulture);
        }
        // The enum's names are the spec's in PascalCase: "DeadlineExceeded" -> "DEADLINE_EXCEEDED".
        var name = ((StatusCode)code).ToString();
        var upper = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]) && char.IsLower(name[i - 1]))
            {
                upper.Append('_');
            }
            upper.Append(char.ToUpperInvariant(name[i]));
        }
        return upper.ToString();
    }
}
