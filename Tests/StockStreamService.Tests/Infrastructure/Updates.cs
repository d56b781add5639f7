using AspireProber.Stock.V1;
using Grpc.Core;

namespace AspireProber.StockStreamService.Tests.Infrastructure;

/// <summary>Reading and making updates in tests.</summary>
public static class Updates
{
    /// <summary>Reads <paramref name="count"/> updates (fails if the stream ends or stalls first).</summary>
    public static async Task<List<StockUpdate>> ReadAsync(this IAsyncStreamReader<StockUpdate> stream, int count, double seconds = 10)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var updates = new List<StockUpdate>(count);
        while (updates.Count < count)
        {
            Assert.True(await stream.MoveNext(timeout.Token), $"The stream ended after {updates.Count} of {count} updates.");
            updates.Add(stream.Current);
        }
        return updates;
    }

    /// <summary>Asserts the updates are numbered one after another from <paramref name="first"/>.</summary>
    public static void AssertContiguous(IReadOnlyList<StockUpdate> updates, ulong first)
    {
        for (var i = 0; i < updates.Count; i++)
        {
            if (updates[i].Sequence != first + (ulong)i)
            {
                Assert.Fail($"Update {i} has sequence {updates[i].Sequence}, expected {first + (ulong)i}: a gap or a reordering.");
            }
        }
    }

    public static PublishRequest Publish(string ticker, double price) => new() { Update = new StockUpdate { Ticker = ticker, Price = price } };
}
