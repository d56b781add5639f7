namespace AspireProber.ProbeRunner.Backpressure;

/// <summary>
/// Reads <c>stock_updates_sent_total</c> per consumer from the stock service's own Prometheus exposition
/// (<c>/metrics</c> on its <c>http</c> endpoint), summed over every replica: the view's source of "sent" when
/// Prometheus cannot be read.
/// </summary>
public sealed class StockMetricsClient(HttpClient http, IConfiguration configuration)
{
    /// <summary>The stock service's counter of completed writes, as its exposition names it.</summary>
    public const string SentMetric = "stock_updates_sent_total";

    /// <summary>The setting of the first replica's address, as the AppHost's reference names it in the environment.</summary>
    public const string AddressSetting = $"services__{StockConsumersWorker.StockServiceName}__http__0";

    /// <summary>Every replica's <c>/metrics</c>, one per <c>services:stock:http:{i}</c>, in index order.</summary>
    public IReadOnlyList<Uri> MetricsAddresses =>
        // From configuration rather than service discovery's HttpClient handler: that handler sends each request to
        // one endpoint of its choosing, and the sum needs every replica.
        configuration.GetSection($"services:{StockConsumersWorker.StockServiceName}:http").GetChildren()
            .Where(replica => !string.IsNullOrEmpty(replica.Value))
            .OrderBy(replica => int.TryParse(replica.Key, out var index) ? index : int.MaxValue)
            .Select(replica => new Uri(new Uri(replica.Value!), Extensions.MetricsEndpointPath))
            .ToArray();

    /// <summary>Updates sent per consumer, summed over the replicas; all of them must answer.</summary>
    /// <exception cref="StockMetricsException">No replica is configured, or one could not be read.</exception>
    public async Task<IReadOnlyDictionary<string, double>> ReadSentAsync(CancellationToken cancellationToken)
    {
        var addresses = MetricsAddresses;
        if (addresses.Count == 0)
        {
            throw new StockMetricsException($"No address for the stock service's http endpoint: {AddressSetting} is not set "
                + "(the AppHost sets it for WithReference(stock)).");
        }
        // A replica left out would make "sent" too small and the in-flight count wrong, so one failure fails the reading.
        var replicas = await Task.WhenAll(addresses.Select(address => ReadReplicaAsync(address, cancellationToken)));
        return replicas.SelectMany(sent => sent)
            .GroupBy(consumer => consumer.Key, StringComparer.Ordinal)
            .ToDictionary(consumer => consumer.Key, consumer => consumer.Sum(replica => replica.Value), StringComparer.Ordinal);
    }

    private async Task<IReadOnlyDictionary<string, double>> ReadReplicaAsync(Uri address, CancellationToken cancellationToken)
    {
        try
        {
            var exposition = await http.GetStringAsync(address, cancellationToken);
            return PrometheusExposition.SumByLabel(exposition, SentMetric, "consumer");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new StockMetricsException($"The stock service's {address} could not be read ({e.Message.TrimEnd('.')}).");
        }
    }
}

/// <summary>The stock service's <c>/metrics</c> could not be read (no address configured, a replica down or too slow).</summary>
public sealed class StockMetricsException(string message) : Exception(message);
