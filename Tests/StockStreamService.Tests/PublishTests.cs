using AspireProber.Stock.V1;
using AspireProber.StockStreamService.Tests.Infrastructure;
using Grpc.Core;

namespace AspireProber.StockStreamService.Tests;

/// <summary>Publish and PublishStream append to the log in order and reach consumers; bad input names its field.</summary>
public sealed class PublishTests
{
    [Fact]
    public async Task Published_updates_are_acknowledged_in_order_and_reach_a_consumer()
    {
        await using var server = await StockTestServer.StartAsync("Stock:UpdatesPerSecond=0");
        using var consumer = server.Client.GetUpdates(new GetUpdatesRequest { Consumer = "reader", Tickers = { "GOOG", "NVDA" } });
        await Wait.UntilAsync(() => server.Streams.ActiveCount == 1, "the consumer is connected");

        var unary = await server.Client.PublishAsync(Updates.Publish("GOOG", 171.5));
        using var stream = server.Client.PublishStream();
        var acks = new List<ulong>();
        foreach (var (ticker, price) in new[] { ("NVDA", 121.0), ("MSFT", 421.0), ("GOOG", 172.25) })
        {
            // Duplex: each ack comes back before the next update is sent.
            await stream.RequestStream.WriteAsync(Updates.Publish(ticker, price));
            Assert.True(await stream.ResponseStream.MoveNext(CancellationToken.None).Within());
            acks.Add(stream.ResponseStream.Current.Sequence);
        }
        await stream.RequestStream.CompleteAsync();
        Assert.False(await stream.ResponseStream.MoveNext(CancellationToken.None).Within());

        Assert.Equal(1UL, unary.Sequence);
        Assert.Equal([2UL, 3UL, 4UL], acks);
        var received = await consumer.ResponseStream.ReadAsync(3);
        Assert.Equal([(1UL, "GOOG", 171.5), (2UL, "NVDA", 121.0), (4UL, "GOOG", 172.25)], received.Select(u => (u.Sequence, u.Ticker, u.Price)));
        Assert.All(received, u => Assert.True(u.Timestamp.ToDateTime() > DateTime.UtcNow.AddMinutes(-1), "the server sets the timestamp"));
        Assert.Equal(4, server.Meters.Published());
        Assert.Equal(4, server.Meters.LogSize());
    }

    [Fact]
    public async Task Server_assigns_sequence_and_timestamp_whatever_the_publisher_sent()
    {
        await using var server = await StockTestServer.StartAsync("Stock:UpdatesPerSecond=0");
        var request = Updates.Publish("AMZN", 180);
        request.Update.Sequence = 999;
        request.Update.Timestamp = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        var reply = await server.Client.PublishAsync(request);

        Assert.Equal(1UL, reply.Sequence);
        using var call = server.Client.GetUpdates(new GetUpdatesRequest { Consumer = "check", ResumeAfterSequence = 0 });
        var update = (await call.ResponseStream.ReadAsync(1))[0];
        Assert.Equal(1UL, update.Sequence);
        Assert.True(update.Timestamp.ToDateTime().Year > 2000);
    }

    public static TheoryData<string, PublishRequest> BadPublishes() => new()
    {
        { "update", new PublishRequest() },
        { "update.ticker", new PublishRequest { Update = new StockUpdate { Price = 10 } } },
        { "update.ticker", Updates.Publish("ZZZZ", 10) },
        { "update.price", Updates.Publish("MSFT", 0) },
        { "update.price", Updates.Publish("MSFT", -5) },
        { "update.price", Updates.Publish("MSFT", double.NaN) },
        { "update.change", new PublishRequest { Update = new StockUpdate { Ticker = "MSFT", Price = 10, Change = double.PositiveInfinity } } },
        { "update.market_cap", new PublishRequest { Update = new StockUpdate { Ticker = "MSFT", Price = 10, MarketCap = -1 } } },
        { "update.volume", new PublishRequest { Update = new StockUpdate { Ticker = "MSFT", Price = 10, Volume = -1 } } },
    };

    [Theory]
    [MemberData(nameof(BadPublishes))]
    public async Task Bad_publish_is_invalid_argument_naming_the_field(string field, PublishRequest request)
    {
        await using var server = await StockTestServer.StartAsync("Stock:UpdatesPerSecond=0");

        var error = await Assert.ThrowsAsync<RpcException>(() => server.Client.PublishAsync(request).ResponseAsync.Within());

        AssertInvalidArgument(error, field);
        Assert.Equal(0UL, server.Log.Range.Head);
    }

    [Fact]
    public async Task Bad_update_in_a_publish_stream_ends_it_after_acknowledging_the_good_ones()
    {
        await using var server = await StockTestServer.StartAsync("Stock:UpdatesPerSecond=0");
        using var stream = server.Client.PublishStream();

        await stream.RequestStream.WriteAsync(Updates.Publish("MSFT", 400));
        Assert.True(await stream.ResponseStream.MoveNext(CancellationToken.None).Within());
        Assert.Equal(1UL, stream.ResponseStream.Current.Sequence);
        await stream.RequestStream.WriteAsync(Updates.Publish("MSFT", -1));
        var error = await Assert.ThrowsAsync<RpcException>(() => stream.ResponseStream.MoveNext(CancellationToken.None).Within());

        AssertInvalidArgument(error, "update.price");
        Assert.Equal(1UL, server.Log.Range.Head);
    }

    public static TheoryData<string, GetUpdatesRequest> BadSubscriptions() => new()
    {
        { "consumer", new GetUpdatesRequest() },
        { "consumer", new GetUpdatesRequest { Consumer = "Fast Consumer!" } },
        { "consumer", new GetUpdatesRequest { Consumer = new string('a', 33) } },
        { "tickers[1]", new GetUpdatesRequest { Consumer = "fast", Tickers = { "MSFT", "ZZZZ" } } },
    };

    [Theory]
    [MemberData(nameof(BadSubscriptions))]
    public async Task Bad_get_updates_is_invalid_argument_naming_the_field(string field, GetUpdatesRequest request)
    {
        await using var server = await StockTestServer.StartAsync("Stock:UpdatesPerSecond=0");
        using var call = server.Client.GetUpdates(request);

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).Within());

        AssertInvalidArgument(error, field);
        Assert.Equal(0, server.Streams.ActiveCount);
    }

    private static void AssertInvalidArgument(RpcException error, string field)
    {
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var badRequest = error.GetRpcStatus()?.GetDetail<Google.Rpc.BadRequest>();
        Assert.NotNull(badRequest);
        Assert.Equal([field], badRequest.FieldViolations.Select(v => v.Field));
        Assert.Contains(field, error.Status.Detail);
    }
}
