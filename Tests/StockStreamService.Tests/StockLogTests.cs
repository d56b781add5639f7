using AspireProber.Stock.V1;
using Microsoft.Extensions.Options;

namespace AspireProber.StockStreamService.Tests;

/// <summary>The bounded log: sequences, dropping the oldest, reading by position, waking waiters.</summary>
public sealed class StockLogTests
{
    private static StockLog NewLog(int capacity) => new(Options.Create(new StockOptions { Capacity = capacity }), TimeProvider.System);

    private static StockUpdate Update(string ticker) => new() { Ticker = ticker, Price = 1 };

    [Fact]
    public void Empty_log_lets_a_reader_start_after_zero()
    {
        var log = NewLog(3);

        Assert.Equal(new LogRange(1, 0), log.Range);
        Assert.True(log.Range.CanResumeAfter(0));
        Assert.Equal(new LogRead(null, 0, Dropped: false), log.ReadAfter(0, null));
    }

    [Fact]
    public void Appends_number_updates_from_one_and_drop_the_oldest_past_capacity()
    {
        var log = NewLog(3);

        var sequences = Enumerable.Range(0, 5).Select(_ => log.Append(Update("MSFT"))).ToList();

        Assert.Equal([1UL, 2UL, 3UL, 4UL, 5UL], sequences);
        Assert.Equal(new LogRange(3, 5), log.Range);
        Assert.True(log.ReadAfter(1, null).Dropped);
        Assert.Equal(3UL, log.ReadAfter(2, null).Update!.Sequence);
        Assert.Equal(new LogRead(null, 5, Dropped: false), log.ReadAfter(5, null));
        Assert.False(log.Range.CanResumeAfter(1));
        Assert.True(log.Range.CanResumeAfter(2));
        Assert.False(log.Range.CanResumeAfter(6));
    }

    [Fact]
    public void A_filtered_read_skips_other_tickers_and_reports_how_far_it_got()
    {
        var log = NewLog(10);
        foreach (var ticker in new[] { "MSFT", "AAPL", "AAPL", "NVDA", "AAPL" })
        {
            log.Append(Update(ticker));
        }
        var wanted = new HashSet<string> { "NVDA" };

        var first = log.ReadAfter(0, wanted);
        var next = log.ReadAfter(first.Position, wanted);

        Assert.Equal(4UL, first.Update!.Sequence);
        Assert.Equal(new LogRead(null, 5, Dropped: false), next);
    }

    [Fact]
    public async Task A_waiter_wakes_on_the_next_append_and_not_before()
    {
        var log = NewLog(3);
        log.Append(Update("MSFT"));

        Assert.True(log.WaitForAppendAsync(0, CancellationToken.None).IsCompleted);
        var waiting = log.WaitForAppendAsync(1, CancellationToken.None);
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);

        log.Append(Update("MSFT"));

        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_waiter_stops_waiting_when_cancelled()
    {
        var log = NewLog(3);
        using var cancel = new CancellationTokenSource();
        var waiting = log.WaitForAppendAsync(0, cancel.Token);

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(5)));
    }
}
