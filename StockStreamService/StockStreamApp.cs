using Microsoft.Extensions.Options;

namespace AspireProber.StockStreamService;

/// <summary>Builds the stock stream service; Program.cs runs it, tests start it on a free port.</summary>
public static class StockStreamApp
{
    /// <summary>
    /// The service with its configuration from <paramref name="args"/> (and the usual sources);
    /// <paramref name="configure"/> lets a test adjust the builder before it is built.
    /// </summary>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();

        builder.Services.AddOptions<StockOptions>()
            .BindConfiguration(StockOptions.SectionName)
            .PostConfigure(options =>
            {
                if (options.Tickers.Count == 0)
                {
                    options.Tickers.AddRange(StockOptions.DefaultTickers);
                }
            })
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<StockOptions>, StockOptionsValidator>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<StockLog>();
        builder.Services.AddSingleton<ConsumerStreams>();
        builder.Services.AddSingleton<StockMetrics>();
        builder.Services.AddSingleton<RequestValidator>();
        builder.Services.AddHostedService<PriceGeneratorService>();
        configure?.Invoke(builder);

        var app = builder.Build();
        // Created now, not on the first call, so the log gauges report from the start.
        app.Services.GetRequiredService<StockMetrics>();
        app.MapGrpcService<StockServiceImpl>();
        app.MapDefaultEndpoints();
        return app;
    }
}
