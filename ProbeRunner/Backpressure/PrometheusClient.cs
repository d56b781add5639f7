using System.Globalization;
using System.Text.Json;

namespace AspireProber.ProbeRunner.Backpressure;

/// <summary>
/// Instant queries against Prometheus' HTTP API (<c>GET /api/v1/query</c>), the backpressure view's first source (the
/// second, when this one fails, is <see cref="StockMetricsClient"/> with the runner's own consumers). The base address
/// is <c>http://prometheus</c>, resolved by service discovery from the reference the AppHost gives the runner
/// (<c>services__prometheus__http__0</c>).
/// </summary>
public sealed class PrometheusClient(HttpClient http)
{
    /// <summary>The name the AppHost gives the Prometheus resource, and so the host name service discovery resolves.</summary>
    public const string ServiceName = "prometheus";

    /// <summary>The setting that holds Prometheus' address, as the AppHost's reference names it in the environment.</summary>
    public const string AddressSetting = $"services__{ServiceName}__http__0";

    /// <summary>
    /// Evaluates <paramref name="promQl"/>, which must yield one series per consumer (<c>sum by (consumer) (...)</c>),
    /// and returns each series' value keyed by its <c>consumer</c> label.
    /// </summary>
    /// <exception cref="PrometheusQueryException">
    /// Prometheus answered, but not with a vector (a bad query, a server error), or something else answered in its place.
    /// </exception>
    public async Task<IReadOnlyDictionary<string, double>> QueryByConsumerAsync(string promQl, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync("/api/v1/query?query=" + Uri.EscapeDataString(promQl), cancellationToken);
        try
        {
            using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            return ReadVector(promQl, (int)response.StatusCode, body.RootElement);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // Not JSON, or JSON without the API's envelope: whatever listens at the address is not Prometheus' API.
            throw new PrometheusQueryException($"The answer to '{promQl}' ({(int)response.StatusCode}) is not Prometheus' API JSON: {e.Message}");
        }
    }

    private static Dictionary<string, double> ReadVector(string promQl, int statusCode, JsonElement root)
    {
        // The API's envelope: {"status":"success","data":{"resultType":"vector","result":[{"metric":{...},"value":[t,"v"]}]}}
        // and on failure {"status":"error","errorType":"bad_data","error":"..."} with a 4xx/5xx status.
        if (root.GetProperty("status").GetString() != "success")
        {
            throw new PrometheusQueryException($"Prometheus refused '{promQl}' ({statusCode}): {root.GetProperty("error").GetString()}");
        }
        var data = root.GetProperty("data");
        if (data.GetProperty("resultType").GetString() != "vector")
        {
            throw new PrometheusQueryException($"'{promQl}' gave a {data.GetProperty("resultType").GetString()}, not a vector.");
        }
        var values = new Dictionary<string, double>();
        foreach (var series in data.GetProperty("result").EnumerateArray())
        {
            var consumer = series.GetProperty("metric").TryGetProperty("consumer", out var label) ? label.GetString() ?? "" : "";
            // Sample values are strings in the API, so that NaN and ±Inf survive JSON.
            values[consumer] = double.Parse(series.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
        }
        return values;
    }
}

/// <summary>Prometheus answered a query with an error or an unexpected shape, or something else answered in its place.</summary>
public sealed class PrometheusQueryException(string message) : Exception(message);
