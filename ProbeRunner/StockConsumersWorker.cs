using AspireProber.Stock.V1;
using Microsoft.Extensions.Options;

namespace AspireProber.ProbeRunner;

/// <summary>Runs every configured stock consumer (by default <c>fast</c> and <c>slow</c>) at once, each on its own stream.</summary>
public sealed partial class StockConsumersWorker(IServiceProvider services, IOptions<RunnerOptions> options, IConfiguration configuration,
    RunnerMetrics metrics, ILoggerFactory loggerFactory) : BackgroundService
{
    /// <summary>The resource name of the stock service (<c>services__stock__grpc__{i}</c>).</summary>
    public const string StockServiceName = "stock";

    private readonly ILogger _logger = loggerFactory.CreateLogger<StockConsumersWorker>();

    /// <summary>The consumers, once started.</summary>
    public IReadOnlyList<StockConsumer> Consumers { get; private set; } = [];

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var consumers = options.Value.Consumers;
        if (consumers.Count == 0 || !configuration.HasService(StockServiceName))
        {
            LogConsumersDisabled(consumers.Count, StockServiceName);
            return Task.CompletedTask;
        }
        // Resolved here, not injected: the client's channel needs the stock address, which a runner started alone lacks.
        var client = services.GetRequiredService<StockService.StockServiceClient>();
        var consumerLogger = loggerFactory.CreateLogger<StockConsumer>();
        Consumers = consumers.Select(entry => new StockConsumer(entry.Key, entry.Value, client, metrics, consumerLogger)).ToArray();
        return Task.WhenAll(Consumers.Select(consumer => consumer.RunAsync(stoppingToken)));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stock consumers disabled: {ConsumerCount} consumers configured, no {Service} address")]
    private partial void LogConsumersDisabled(int consumerCount, string service);
}
