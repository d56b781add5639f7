namespace AspireProber.StockStreamService.Tests;

/// <summary>The random walk: reproducible from its seed, tickers in turn, fields consistent with each other.</summary>
public sealed class PriceGeneratorTests
{
    private static readonly string[] Tickers = ["MSFT", "AAPL", "ZZZ"];

    [Fact]
    public void The_same_seed_gives_the_same_updates_and_another_seed_other_ones()
    {
        var a = new PriceGenerator(Tickers, seed: 1);
        var b = new PriceGenerator(Tickers, seed: 1);
        var c = new PriceGenerator(Tickers, seed: 2);

        var fromA = Enumerable.Range(0, 100).Select(_ => a.Next()).ToList();
        var fromB = Enumerable.Range(0, 100).Select(_ => b.Next()).ToList();
        var fromC = Enumerable.Range(0, 100).Select(_ => c.Next()).ToList();

        Assert.Equal(fromA, fromB);
        Assert.NotEqual(fromA.Select(u => u.Price), fromC.Select(u => u.Price));
    }

    [Fact]
    public void Tickers_take_turns_and_each_tracks_its_session()
    {
        var generator = new PriceGenerator(Tickers, seed: 3);

        var updates = Enumerable.Range(0, 3000).Select(_ => generator.Next()).ToList();

        Assert.Equal(Enumerable.Range(0, 3000).Select(i => Tickers[i % 3]), updates.Select(u => u.Ticker));
        foreach (var ticker in updates.GroupBy(u => u.Ticker))
        {
            var list = ticker.ToList();
            Assert.Single(list.Select(u => u.OpenPrice).Distinct());
            Assert.All(list, u =>
            {
                Assert.InRange(u.Price, u.LowPrice, u.HighPrice);
                Assert.Equal(u.Price - u.OpenPrice, u.Change, 2);
                Assert.Equal(u.Change / u.OpenPrice * 100, u.ChangePercent, tolerance: 0.0001);
                Assert.True(u.MarketCap > u.Price * 1e8, $"market cap {u.MarketCap} at price {u.Price}");
            });
            Assert.All(list.Zip(list.Skip(1)), pair =>
            {
                Assert.True(pair.Second.Volume > pair.First.Volume);
                Assert.True(pair.Second.HighPrice >= pair.First.HighPrice && pair.Second.LowPrice <= pair.First.LowPrice);
                Assert.Equal(pair.First.MarketCap / pair.First.Price, pair.Second.MarketCap / pair.Second.Price, 0.001 * pair.First.MarketCap / pair.First.Price);
            });
            // A random walk moves: a thousand steps of ~0.1% leave more than one distinct price.
            Assert.True(list.Select(u => u.Price).Distinct().Count() > 10);
        }
    }
}
