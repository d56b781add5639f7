using AspireProber.Stock.V1;

namespace AspireProber.StockStreamService;

/// <summary>
/// A random walk per ticker, as the Go demo's market: each update moves one ticker's price by a small normal
/// step and tracks the session's open, high, low and volume. Tickers take turns, so each gets an even share of
/// the rate. Deterministic for a given seed; not thread-safe (one generator loop owns it).
/// </summary>
public sealed class PriceGenerator
{
    // Per-step volatility of the log price: about 0.1%, so a minute at 10 updates/s moves a price a few percent.
    private const double StepVolatility = 0.001;

    // Plausible starting points for the default tickers; other tickers get random ones from the seeded RNG.
    private static readonly Dictionary<string, (double Price, double SharesOutstanding)> KnownTickers = new(StringComparer.Ordinal)
    {
        ["MSFT"] = (420.00, 7.43e9),
        ["AAPL"] = (190.00, 15.2e9),
        ["GOOG"] = (170.00, 12.3e9),
        ["AMZN"] = (185.00, 10.5e9),
        ["NVDA"] = (120.00, 24.5e9),
    };

    private readonly Random _random;
    private readonly TickerWalk[] _walks;
    private int _next;

    /// <summary>Starts a session for <paramref name="tickers"/> with the RNG seeded once with <paramref name="seed"/>.</summary>
    public PriceGenerator(IEnumerable<string> tickers, int seed)
    {
        _random = new Random(seed);
        _walks = tickers.Select(ticker =>
        {
            var (price, shares) = KnownTickers.TryGetValue(ticker, out var known)
                ? known
                : (Math.Round(50 + (_random.NextDouble() * 450), 2), (1 + (_random.NextDouble() * 9)) * 1e9);
            return new TickerWalk(ticker, price, shares);
        }).ToArray();
        if (_walks.Length == 0)
        {
            throw new ArgumentException("At least one ticker is needed.", nameof(tickers));
        }
    }

    /// <summary>The next update (the log sets its sequence and timestamp).</summary>
    public StockUpdate Next()
    {
        var walk = _walks[_next];
        _next = (_next + 1) % _walks.Length;

        walk.Price *= Math.Exp(StepVolatility * NextGaussian());
        walk.High = Math.Max(walk.High, walk.Price);
        walk.Low = Math.Min(walk.Low, walk.Price);
        walk.Volume += _random.Next(100, 5_000);

        var price = Math.Round(walk.Price, 2);
        var change = price - walk.Open;
        return new StockUpdate
        {
            Ticker = walk.Ticker,
            Price = price,
            Change = Math.Round(change, 2),
            ChangePercent = Math.Round(change / walk.Open * 100, 4),
            Volume = walk.Volume,
            OpenPrice = walk.Open,
            HighPrice = Math.Round(walk.High, 2),
            LowPrice = Math.Round(walk.Low, 2),
            MarketCap = Math.Round(price * walk.SharesOutstanding),
        };
    }

    // Box-Muller: a standard normal from two uniforms (1 - NextDouble() avoids log(0)).
    private double NextGaussian() =>
        Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());

    private sealed class TickerWalk(string ticker, double open, double sharesOutstanding)
    {
        public string Ticker { get; } = ticker;
        public double Open { get; } = open;
        public double SharesOutstanding { get; } = sharesOutstanding;
        public double Price { get; set; } = open;
        public double High { get; set; } = open;
        public double Low { get; set; } = open;
        public long Volume { get; set; }
    }
}
