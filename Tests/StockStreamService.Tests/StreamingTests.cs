using AspireProber.Stock.V1;
using AspireProber.StockStreamService.Tests.Infrastructure;
using Grpc.Core;

namespace AspireProber.StockStreamService.Tests;

/// <summary>GetUpdates against the real server: order, filters, sent counts, and streams ending when they should.</summary>
public sealed class StreamingTests
{
    [Fact]
    public async Task Fast_consumer_receives_every_update_in_order_and_sent_equals_received()
    {
        await using var server = await StockTestServer.StartAsync("Stock:UpdatesPerSecond=0");
        using var call = server.Client.GetUpdates(new GetUpdatesRequest { Consumer = "fast", ResumeAfterSequence = 0 });
        const int Count = 2000;

        // A publisher appends while the consumer reads: the consumer keeps up with a producer running at full speed.
        var publisher = Task.Run(async () =>
        {
            using var publish = server.Client.PublishStream();
            for (var i = 0; i < Count; i++)
            {
                await publish.RequestStream.WriteAsync(Updates.Publish("MSFT", 100 + (i * 0.01)));
            }
            await publish.RequestStream.CompleteAsync();
            var acks = new List<ulong>();
            while (await publish.ResponseStream.MoveNext(CancellationToken.None))
            {
                acks.Add(publish.ResponseStream.Current.Sequence);
            }
            return acks;
        });

        var received = await call.ResponseStream.ReadAsync(Count);

        Updates.AssertContiguous(received, first: 1);
        Assert.Equal(100 + ((Count - 1) * 0.01), received[^1].Price, 6);
        Assert.Equal(Enumerable.Range(1, Count).Select(i => (ulong)i), await publisher.Within());
        await Wait.UntilAsync(() => server.Meters.Sent("fast") == Count, "sent reaches what was received");
        await Task.Delay(200);
        Assert.Equal(Count, server.Meters.Sent("fast"));
        Assert.Equal(Count, server.Meters.WriteBlocked("fast").Count);
    }

    [Fact]
    public async Task Generated_updates_arrive_without_gaps_and_a_ticker_filter_keeps_each_tickers_turns()
    {
        await using var server = await StockTestServer.StartAsync("Stock:UpdatesPerSecond=3000", "Stock:Seed=7");
        using var all = server.Client.GetUpdates(new GetUpdatesRequest { Consumer = "all" });
        using var filtered = server.Client.GetUpdates(new GetUpdatesRequest { Consumer = "filtered", Tickers = { "MSFT", "NVDA" } });

        var everything = await all.ResponseStream.ReadAsync(1500);
        var some = await filtered.ResponseStream.ReadAsync(300);

        Updates.AssertContiguous(everything, everything[0].Sequence);
        Assert.All(everything, update =>
        {
            Assert.True(update.Price > 0 && update.LowPrice <= update.Price && update.Price <= update.HighPrice, $"price {update.Price} outside [{update.LowPrice}, {update.HighPrice}]");
            Assert.NotNull(update.Timestamp);
        });
        Assert.All(some, update => Assert.Contains(update.Ticker, new[] { "MSFT", "NVDA" }));
        // Five tickers take turns, so each ticker's consecutive updates are five sequences apart: none skipped.
        foreach (var ticker in some.GroupBy(u => u.Ticker))
        {
            var sequences = ticker.Select(u => u.Sequence).ToList();
            Assert.All(sequences.Zip(sequences.Skip(1)), pair => Assert.Equal(pair.First + 5, pair.Second));
        }
    }

    [Fact]
    public async Task Lag_of_a_consumer_that_keeps_up_stays_small_and_never_negative()
    {
        await using var server = await StockTestServer.StartAsync("Stock:UpdatesPerSecond=3000");
        using var call = server.Client.GetUpdates(new GetUpdatesRequest { Consumer = "keeping-up" });
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            while (await call.ResponseStream.MoveNext(stop.Token))
            {
            }
        });
        await Wait.UntilAsync(() => server.Meters.Sent("keeping-up") > 100, "the consumer is reading");

        var lags = new List<long>();
        for (var i = 0; i < 300; i++)
        {
            lags.Add(server.Meters.Lag("keeping-up")!.Value);
            await Task.Delay(2);
        }

        // Keeping up on a busy test machine: well under a second's worth (3000) behind, and never ahead of the head.
        Assert.All(lags, lag => Assert.InRange(lag, 0, 3000));
        stop.Cancel();
        await Assert.ThrowsAnyAsync<Exception>(() => reader.Within());
    }

    [Fact]
    public async Task Client_leaving_a_waiting_stream_ends_it_promptly()
    {
        await using var server = await StockTestServer.StartAsync("Stock:UpdatesPerSecond=0");
        var call = server.Client.GetUpdates(new GetUpdatesRequest { Consumer = "leaver" });
        await Wait.UntilAsync(() => server.Streams.ActiveCount == 1, "the stream is open");

        call.Dispose();

        await Wait.UntilAsync(() => server.Streams.ActiveCount == 0, "the server's stream ended", seconds: 2);
    }

    [Fact]
    public async Task Client_leaving_a_stream_blocked_in_a_write_ends_it_promptly()
    {
        await using var server = await StockTestServer.StartAsync("Stock:UpdatesPerSecond=3000");
        var call = server.Client.GetUpdates(new GetUpdatesRequest { Consumer = "stalled" });
        await call.ResponseStream.ReadAsync(1);
        await Backpressure.WaitForStallAsync(server, "stalled");

        call.Dispose();

        await Wait.UntilAsync(() => server.Streams.ActiveCount == 0, "the server's stream ended", seconds: 2);
        Assert.Null(server.Meters.Lag("stalled"));
    }

    [Fact]
    public async Task Server_stopping_ends_streams_with_unavailable()
    {
        await using var server = await StockTestServer.StartAsync("Stock:UpdatesPerSecond=0");
        using var call = server.Client.GetUpdates(new GetUpdatesRequest { Consumer = "waiting" });
        await Wait.UntilAsync(() => server.Streams.ActiveCount == 1, "the stream is open");

        var stopping = server.StopAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).Within(5));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        await stopping.Within(5);
    }
}
