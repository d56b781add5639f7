using AspireProber.Prober.V1;
using AspireProber.ServiceDefaults;

namespace AspireProber.ProberService;

/// <summary>A validated probe request, with every default filled in.</summary>
/// <param name="Endpoint">The absolute http(s) URL to fetch.</param>
/// <param name="Repetitions">Attempts to make, one after another.</param>
/// <param name="AttemptTimeout">Time limit of one attempt (also bounded by the call's deadline).</param>
/// <param name="AcceptedStatusCodes">Statuses that count as success; empty: any 2xx.</param>
/// <param name="Method">GET or HEAD.</param>
/// <param name="Mode">A new connection per attempt, or one shared by the probe.</param>
public sealed record ProbePlan(
    Uri Endpoint,
    int Repetitions,
    TimeSpan AttemptTimeout,
    IReadOnlySet<int> AcceptedStatusCodes,
    System.Net.Http.HttpMethod Method,
    ConnectionMode Mode)
{
    /// <summary>
    /// The endpoint as labels, spans and logs show it: without user info (no credentials in telemetry) and bounded in
    /// length (<see cref="TelemetryValues.Bound"/>), so a long query string does not reach every scrape and log line.
    /// </summary>
    public string SafeEndpoint { get; } = TelemetryValues.Bound(Endpoint.GetComponents(UriComponents.HttpRequestUrl, UriFormat.UriEscaped));

    /// <summary>True when <paramref name="statusCode"/> counts as success.</summary>
    public bool Accepts(int statusCode) =>
        AcceptedStatusCodes.Count == 0 ? statusCode is >= 200 and <= 299 : AcceptedStatusCodes.Contains(statusCode);
}
