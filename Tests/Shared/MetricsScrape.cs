namespace AspireProber.Tests.Shared;

/// <summary>Scrapes a test server's /metrics the way Prometheus would, but over its one gRPC endpoint.</summary>
public static class MetricsScrape
{
    /// <summary>
    /// GETs /metrics from <paramref name="grpcAddress"/>. A service with only its grpc endpoint configured (as the
    /// tests start them) serves the defaults' endpoints there, so over HTTP/2 without TLS.
    /// </summary>
    public static async Task<string> GetAsync(Uri grpcAddress)
    {
        using var http = new HttpClient
        {
            BaseAddress = grpcAddress,
            DefaultRequestVersion = System.Net.HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        return await http.GetStringAsync("/metrics");
    }
}
