namespace AspireProber.ProbeRunner.Backpressure;

/// <summary>
/// A live "sent vs received per consumer" page the runner serves at <c>/backpressure</c> (the AppHost links it in the
/// Aspire dashboard), so the backpressure story is visible without Grafana. The page polls
/// <c>/backpressure/consumers</c>, which reads the two counters from Prometheus.
/// </summary>
public static class BackpressureView
{
    /// <summary>The page's path.</summary>
    public const string PagePath = "/backpressure";

    /// <summary>The path of the JSON the page polls: <see cref="ConsumerFlow"/> per consumer.</summary>
    public const string ConsumersPath = "/backpressure/consumers";

    // Rates over 10 s: five scrapes at the AppHost's 2 s interval.
    private const string Sent = "sum by (consumer) (stock_updates_sent_total)";
    private const string Received = "sum by (consumer) (stock_updates_received_total)";
    private const string SentRate = "sum by (consumer) (rate(stock_updates_sent_total[10s]))";
    private const string ReceivedRate = "sum by (consumer) (rate(stock_updates_received_total[10s]))";

    /// <summary>Registers the Prometheus client the view reads through.</summary>
    public static IServiceCollection AddBackpressureView(this IServiceCollection services)
    {
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers: see AddServiceGrpcClient.
        services.AddHttpClient<PrometheusClient>(http =>
            {
                http.BaseAddress = new Uri($"http://{PrometheusClient.ServiceName}");
                http.Timeout = TimeSpan.FromSeconds(3);
            })
            .AddServiceDiscovery()
            // The page asks again every 2 s: retrying here would only hold back the message that Prometheus is down.
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        return services;
    }

    /// <summary>Maps the page and the JSON it polls.</summary>
    public static WebApplication MapBackpressureView(this WebApplication app)
    {
        var page = ReadPage();
        app.MapGet(PagePath, () => Results.Content(page, "text/html; charset=utf-8"));
        app.MapGet(ConsumersPath, ReadConsumersAsync);
        return app;
    }

    private static async Task<IResult> ReadConsumersAsync(PrometheusClient prometheus, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        try
        {
            var queries = new[] { Sent, Received, SentRate, ReceivedRate }.Select(q => prometheus.QueryByConsumerAsync(q, cancellationToken)).ToArray();
            var results = await Task.WhenAll(queries);
            var (sent, received, sentRate, receivedRate) = (results[0], results[1], results[2], results[3]);
            var flows = sent.Keys.Union(received.Keys).Order(StringComparer.Ordinal)
                .Select(consumer => new ConsumerFlow(consumer,
                    sent.GetValueOrDefault(consumer), received.GetValueOrDefault(consumer),
                    sentRate.GetValueOrDefault(consumer), receivedRate.GetValueOrDefault(consumer)))
                .ToList();
            return Results.Ok(flows);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException or PrometheusQueryException
                                   && !cancellationToken.IsCancellationRequested)
        {
            // InvalidOperationException: service discovery has no address for "prometheus" (not referenced by the AppHost).
            loggers.CreateLogger(typeof(BackpressureView)).LogWarning("Backpressure view: Prometheus could not be read: {Reason}", e.Message);
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Prometheus could not be read",
                detail: $"{e.Message} The view reads stock_updates_sent_total and stock_updates_received_total from the AppHost's "
                    + $"'{PrometheusClient.ServiceName}' resource (services__{PrometheusClient.ServiceName}__http__0); check that it is running.");
        }
    }

    private static string ReadPage()
    {
        using var stream = typeof(BackpressureView).Assembly.GetManifestResourceStream("backpressure.html")
            ?? throw new InvalidOperationException("The embedded resource backpressure.html is missing from the build.");
        return new StreamReader(stream).ReadToEnd();
    }
}
