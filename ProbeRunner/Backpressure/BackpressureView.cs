using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AspireProber.ProbeRunner.Backpressure;

/// <summary>
/// A live "sent vs received per consumer" page the runner serves at <c>/backpressure</c> (the AppHost links it in the
/// Aspire dashboard), so the backpressure story is visible without Grafana. The page polls
/// <c>/backpressure/consumers</c>, which reads the two counters from Prometheus, or, when Prometheus cannot be read,
/// straight from where they live: the stock service's <c>/metrics</c> and the runner's own consumers.
/// </summary>
public static class BackpressureView
{
    /// <summary>The page's path.</summary>
    public const string PagePath = "/backpressure";

    /// <summary>The path of the JSON the page polls: a <see cref="BackpressureReading"/>.</summary>
    public const string ConsumersPath = "/backpressure/consumers";

    // Prometheus and the stock service answer on loopback in milliseconds: a service that takes a second is as good as
    // down, and the page asks again in 2 s.
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Registers the clients of both sources and what the view remembers between readings.</summary>
    public static IServiceCollection AddBackpressureView(this IServiceCollection services)
    {
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers: see AddServiceGrpcClient.
        services.AddHttpClient<PrometheusClient>(http =>
            {
                http.BaseAddress = new Uri($"http://{PrometheusClient.ServiceName}");
                http.Timeout = ReadTimeout;
            })
            .AddServiceDiscovery()
            // The page asks again every 2 s: retrying here would only hold back the reading from the other source.
            .RemoveAllResilienceHandlers();
        // No service discovery: StockMetricsClient reads every replica's address from configuration itself.
        services.AddHttpClient<StockMetricsClient>(http => http.Timeout = ReadTimeout)
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SourceTracker>();
        services.AddSingleton<FlowRates>();
        services.AddTransient<PrometheusFlows>();
        services.AddTransient<DirectFlows>();
        services.AddTransient<BackpressureReader>();
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

    private static async Task<IResult> ReadConsumersAsync(BackpressureReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return Results.Ok(await reader.ReadAsync(cancellationToken));
        }
        catch (BackpressureUnavailableException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Neither Prometheus nor the stock service's /metrics could be read", detail: e.Message);
        }
    }

    private static string ReadPage()
    {
        using var stream = typeof(BackpressureView).Assembly.GetManifestResourceStream("backpressure.html")
            ?? throw new InvalidOperationException("The embedded resource backpressure.html is missing from the build.");
        return new StreamReader(stream).ReadToEnd();
    }
}
