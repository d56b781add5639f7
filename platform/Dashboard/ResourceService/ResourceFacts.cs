using Aspire.DashboardService.Proto.V1;
using Google.Protobuf.WellKnownTypes;

namespace AspireProber.Dashboard.ResourceService;

/// <summary>Reads the facts the pages show out of a <see cref="Resource"/> (properties by their contract names, health, secrets).</summary>
public static class ResourceFacts
{
    private static readonly string[] SecretNameParts = ["KEY", "TOKEN", "SECRET", "PASSWORD", "HEADERS"];

    /// <summary>Overall health: null before any check has reported, else the worst reported status.</summary>
    public static HealthStatus? Health(Resource resource)
    {
        if (resource.HealthReports.Count == 0 || resource.HealthReports.Any(h => !h.HasStatus))
        {
            return null;
        }
        return resource.HealthReports.Any(h => h.Status == HealthStatus.Unhealthy) ? HealthStatus.Unhealthy
            : resource.HealthReports.Any(h => h.Status == HealthStatus.Degraded) ? HealthStatus.Degraded
            : HealthStatus.Healthy;
    }

    /// <summary>"resource.replicaIndex", or 0.</summary>
    public static int ReplicaIndex(Resource resource) => (int)(Number(resource, "resource.replicaIndex") ?? 0);

    /// <summary>"resource.restartCount", or 0.</summary>
    public static int RestartCount(Resource resource) => (int)(Number(resource, "resource.restartCount") ?? 0);

    /// <summary>A property's value as display text, or null when absent.</summary>
    public static string? PropertyText(Resource resource, string name) =>
        resource.Properties.FirstOrDefault(p => p.Name == name)?.Value is { } value ? Text(value) : null;

    /// <summary>A protobuf <see cref="Value"/> as display text.</summary>
    public static string Text(Value value) => value.KindCase switch
    {
        Value.KindOneofCase.StringValue => value.StringValue,
        Value.KindOneofCase.NumberValue => value.NumberValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Value.KindOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        Value.KindOneofCase.NullValue or Value.KindOneofCase.None => "",
        _ => value.ToString(),
    };

    /// <summary>Whether an environment variable's value must be masked until revealed (its name looks like a secret's).</summary>
    public static bool IsSecretName(string name) =>
        SecretNameParts.Any(part => name.Contains(part, StringComparison.OrdinalIgnoreCase));

    private static double? Number(Resource resource, string name)
    {
        var value = resource.Properties.FirstOrDefault(p => p.Name == name)?.Value;
        return value?.KindCase switch
        {
            Value.KindOneofCase.NumberValue => value.NumberValue,
            Value.KindOneofCase.StringValue when double.TryParse(value.StringValue, System.Globalization.CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
    }
}
