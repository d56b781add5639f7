using AspireProber.Stock.V1;
using AspireProber.StockStreamService.Tests.Infrastructure;
using Grpc.Core;

namespace AspireProber.StockStreamService.Tests;

/// <summary>Resuming after a reconnect: nothing retained is lost; what was dropped is OUT_OF_RANGE with the retention.</summary>
public sealed class ResumeTests
{
    [Fact]
    public async Task Reconnecting_with_resume_after_the_last_sequence_loses_nothing()
    {
        await using var server = await StockTestServer.StartAsync("Stock:UpdatesPerSecond=2000");
        ulong last;
        using (var first = server.Client.GetUpdates(new GetUpdatesRequest { Consumer = "resumer" }))
        {
            last = (await first.ResponseStream.ReadAsync(50))[^1].Sequence;
        }
        await Wait.UntilAsync(() => server.Streams.ActiveCount == 0, "the first stream ended");
        await Wait.UntilAsync(() => server.Log.Range.Head > last + 500, "updates were made while disconnected");

        using var second = server.Client.GetUpdates(new GetUpdatesRequest { Consumer = "resumer", ResumeAfterSequence = last });
        var resumed = await second.ResponseStream.ReadAsync(1000);

        Updates.AssertContiguous(resumed, last + 1);
    }

    [Fact]
    public async Task Resuming_after_a_dropped_sequence_is_out_of_range_with_the_retention()
    {
        await using var server = await StockTestServer.StartAsync("Stock:UpdatesPerSecond=3000", "Stock:Capacity=100");
        await Wait.UntilAsync(() => server.Log.Range.Head > 300, "the log wrapped");

        using var call = server.Client.GetUpdates(new GetUpdatesRequest { Consumer = "late", ResumeAfterSequence = 1 });
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).Within());

        Assert.Equal(StatusCode.OutOfRange, error.StatusCode);
        var retention = error.GetRpcStatus()?.GetDetail<RetentionInfo>();
        Assert.NotNull(retention);
        Assert.True(retention.OldestRetainedSequence > 2, $"oldest {retention.OldestRetainedSequence}");
        Assert.InRange(retention.HeadSequence - retention.OldestRetainedSequence + 1, 1UL, 100UL);
    }

    [Fact]
    public async Task Resuming_after_a_sequence_the_log_never_had_is_out_of_range()
    {
        await using var server = await StockTestServer.StartAsync("Stock:UpdatesPerSecond=0");
        await server.Client.PublishAsync(Updates.Publish("MSFT", 1));

        using var call = server.Client.GetUpdates(new GetUpdatesRequest { Consumer = "future", ResumeAfterSequence = 1000 });
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).Within());

        Assert.Equal(StatusCode.OutOfRange, error.StatusCode);
        Assert.Equal(1UL, error.GetRpcStatus()!.GetDetail<RetentionInfo>()!.HeadSequence);
    }

    [Fact]
    public async Task Resuming_after_the_oldest_retained_minus_one_gets_the_whole_retained_log()
    {
        await using var server = await StockTestServer.StartAsync("Stock:UpdatesPerSecond=0", "Stock:Capacity=3");
        for (var i = 1; i <= 5; i++)
        {
            await server.Client.PublishAsync(Updates.Publish("AAPL", i));
        }

        using var call = server.Client.GetUpdates(new GetUpdatesRequest { Consumer = "edge", ResumeAfterSequence = 2 });
        var updates = await call.ResponseStream.ReadAsync(3);

        Updates.AssertContiguous(updates, 3);
        Assert.Equal([3.0, 4.0, 5.0], updates.Select(u => u.Price));
    }
}
