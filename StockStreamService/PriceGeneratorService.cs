using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace AspireProber.StockStreamService;

/// <summary>Runs the <see cref="PriceGenerator"/> at <see cref="StockOptions.UpdatesPerSecond"/>, appending to the log.</summary>
public sealed partial class PriceGeneratorService(StockLog log, IOptions<StockOptions> options, ILogger<PriceGeneratorService> logger) : BackgroundService
{
    // Timers are not precise below a few milliseconds: at high rates each tick appends what is due since the start.
    private static readonly TimeSpan ShortestTick = TimeSpan.FromMilliseconds(10);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var rate = settings.UpdatesPerSecond;
        if (rate == 0)
        {
            Log.GeneratorOff(logger);
            return;
        }
        var seed = settings.Seed ?? Random.Shared.Next();
        var generator = new PriceGenerator(settings.Tickers, seed);
        Log.GeneratorStarted(logger, rate, settings.Tickers.Count, seed);

        var tick = TimeSpan.FromSeconds(1 / rate);
        using var timer = new PeriodicTimer(tick < ShortestTick ? ShortestTick : tick);
        var started = Stopwatch.GetTimestamp();
        long produced = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var due = (long)(Stopwatch.GetElapsedTime(started).TotalSeconds * rate);
                // After a pause (a suspended process, a starved machine) at most one second's worth is made up,
                // rather than a burst that would look like a market event.
                produced = Math.Max(produced, due - (long)Math.Ceiling(rate));
                for (; produced < due; produced++)
                {
                    log.Append(generator.Next());
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: nothing to clean up.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Generating {Rate} updates/s over {TickerCount} tickers with seed {Seed}")]
        public static partial void GeneratorStarted(ILogger logger, double rate, int tickerCount, int seed);

        [LoggerMessage(2, LogLevel.Information, "Generator off (Stock:UpdatesPerSecond = 0): only published updates reach consumers")]
        public static partial void GeneratorOff(ILogger logger);
    }
}
