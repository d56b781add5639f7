using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace AspireProber.StockStreamService;

/// <summary>Settings of the stock stream (configuration section <c>Stock</c>).</summary>
public sealed class StockOptions
{
    /// <summary>The configuration section the options bind to.</summary>
    public const string SectionName = "Stock";

    /// <summary>The tickers generated when the configuration names none.</summary>
    public static readonly IReadOnlyList<string> DefaultTickers = ["MSFT", "AAPL", "GOOG", "AMZN", "NVDA"];

    /// <summary>The tickers the generator walks and the only ones consumers and publishers may name.</summary>
    // Empty here and filled after binding: the binder appends configured items to a pre-filled list.
    public List<string> Tickers { get; set; } = [];

    /// <summary>Generated updates per second, across all tickers; 0 turns the generator off (publishers only).</summary>
    public double UpdatesPerSecond { get; set; } = 10;

    /// <summary>The seed of the generator's random walk; unset: a random seed, logged at start so a run can be replayed.</summary>
    public int? Seed { get; set; }

    /// <summary>How many updates the log retains; the oldest is dropped first.</summary>
    public int Capacity { get; set; } = 10_000;

    /// <summary>Distinct consumer names that get their own metric label; later ones share the label "other".</summary>
    public int MaxConsumerLabels { get; set; } = 20;

    /// <summary>GetUpdates streams this service keeps open at once; more get RESOURCE_EXHAUSTED.</summary>
    public int MaxStreams { get; set; } = 1000;

    /// <summary>Of those, how many one caller (one peer address) may keep open; more get RESOURCE_EXHAUSTED for that caller alone.</summary>
    public int MaxStreamsPerCaller { get; set; } = 100;
}

/// <summary>Rejects settings the service cannot run with, at start rather than on the first call.</summary>
public sealed partial class StockOptionsValidator : IValidateOptions<StockOptions>
{
    /// <summary>The highest generation rate accepted: beyond it the generator alone would saturate a core.</summary>
    public const double MaxUpdatesPerSecond = 1_000_000;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, StockOptions options)
    {
        var failures = new List<string>();
        if (options.Tickers.Count == 0)
        {
            failures.Add("Stock:Tickers must name at least one ticker.");
        }
        foreach (var ticker in options.Tickers.Where(t => !TickerPattern().IsMatch(t)))
        {
            failures.Add($"Stock:Tickers: '{ticker}' is not a ticker (1-10 of A-Z, 0-9, '.', starting with a letter).");
        }
        if (options.Tickers.Distinct(StringComparer.Ordinal).Count() != options.Tickers.Count)
        {
            failures.Add("Stock:Tickers lists a ticker twice.");
        }
        if (!double.IsFinite(options.UpdatesPerSecond) || options.UpdatesPerSecond < 0 || options.UpdatesPerSecond > MaxUpdatesPerSecond)
        {
            failures.Add($"Stock:UpdatesPerSecond must be between 0 (off) and {MaxUpdatesPerSecond}; it is {options.UpdatesPerSecond}.");
        }
        if (options.Capacity < 1)
        {
            failures.Add($"Stock:Capacity must be at least 1; it is {options.Capacity}.");
        }
        if (options.MaxConsumerLabels < 1)
        {
            failures.Add($"Stock:MaxConsumerLabels must be at least 1; it is {options.MaxConsumerLabels}.");
        }
        if (options.MaxStreams < 1)
        {
            failures.Add($"Stock:MaxStreams must be at least 1; it is {options.MaxStreams}.");
        }
        if (options.MaxStreamsPerCaller < 1 || options.MaxStreamsPerCaller > options.MaxStreams)
        {
            failures.Add($"Stock:MaxStreamsPerCaller must be from 1 to Stock:MaxStreams ({options.MaxStreams}); it is {options.MaxStreamsPerCaller}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>What a ticker looks like: upper-case letters and digits, optionally a class suffix such as BRK.B.</summary>
    [GeneratedRegex("^[A-Z][A-Z0-9.]{0,9}$")]
    public static partial Regex TickerPattern();
}
