using Grpc.Core;

namespace AspireProber.ProbeRunner;

/// <summary>
/// The prober replicas' API key (<c>Runner:ProberApiKey</c>, which the AppHost sets from its secret parameter when keys
/// are on), sent as the metadata the prober checks: <c>authorization: Bearer &lt;key&gt;</c>.
/// </summary>
public static class ProberApiKey
{
    /// <summary>The headers of a Probe call made with <paramref name="key"/>; none without a key.</summary>
    public static Metadata? Headers(string? key) =>
        string.IsNullOrEmpty(key) ? null : new Metadata { { "authorization", $"Bearer {key}" } };
}
