using AspireProber.Dashboard.Telemetry;

namespace AspireProber.Dashboard.Components.Telemetry;

/// <summary>
/// The resource choice of the telemetry pages' filters, as it travels in a query string: "" for every resource,
/// "service" for every replica of a service, "service/instance" for one replica (<see cref="ResourceKey.ToString"/>).
/// </summary>
public readonly record struct ResourceFilter(string? ServiceName, string? InstanceId)
{
    /// <summary>Reads a query-string value; the instance is everything after the first '/', since instance ids may contain one.</summary>
    public static ResourceFilter Parse(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return default;
        }
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? new(value, null) : new(value[..slash], value[(slash + 1)..]);
    }

    /// <summary>The choices a filter offers for <paramref name="resources"/>: each service (all its replicas), then each of its replicas when it has several.</summary>
    public static IReadOnlyList<(string Value, string Label)> Choices(IEnumerable<TelemetryResource> resources)
    {
        var choices = new List<(string, string)>();
        foreach (var service in resources.GroupBy(r => r.Key.ServiceName, StringComparer.Ordinal))
        {
            var replicas = service.Where(r => r.Key.InstanceId.Length > 0).ToArray();
            choices.Add((service.Key, replicas.Length > 1 ? $"{service.Key} (all {replicas.Length} replicas)" : service.Key));
            if (replicas.Length > 1)
            {
                choices.AddRange(replicas.Select(r => (r.Key.ToString(), r.Key.ToString())));
            }
        }
        return choices;
    }
}
