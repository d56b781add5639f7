using Microsoft.Extensions.Configuration;

namespace AspireProber.ProberService;

/// <summary>
/// Which replica this is: the <c>service.instance.id</c> the AppHost puts in OTEL_RESOURCE_ATTRIBUTES (so replies
/// and telemetry name the same instance), else machine name and process id.
/// </summary>
public sealed class ReplicaIdentity(IConfiguration configuration)
{
    /// <summary>The replica's id.</summary>
    public string Id { get; } = FromResourceAttributes(configuration["OTEL_RESOURCE_ATTRIBUTES"])
        ?? $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>The service.instance.id in an OTEL_RESOURCE_ATTRIBUTES value (<c>k=v,k2=v2</c>, values percent-encoded), or null.</summary>
    public static string? FromResourceAttributes(string? attributes)
    {
        foreach (var pair in (attributes ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            if (equals > 0 && pair[..equals].Trim() == "service.instance.id")
            {
                var value = Uri.UnescapeDataString(pair[(equals + 1)..].Trim());
                return value.Length > 0 ? value : null;
            }
        }
        return null;
    }
}
