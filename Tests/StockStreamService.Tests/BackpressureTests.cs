using AspireProber.Stock.V1;
using AspireProber.StockStreamService.Tests.Infrastructure;
using Grpc.Core;
using Xunit.Abstractions;

namespace AspireProber.StockStreamService.Tests;

/// <summary>A consumer that stops reading stalls its stream within what the HTTP/2 windows hold, then catches up.</summary>
public sealed class BackpressureTests(ITestOutputHelper output)
{
    private const double Rate = 3000;

    [Fact]
    public async Task Stalled_consumer_stalls_sent_within_the_flow_control_windows_then_drains()
    {
        await using var server = await StockTestServer.StartAsync($"Stock:UpdatesPerSecond={Rate}", "Stock:Capacity=100000");
        using var call = server.Client.GetUpdates(new GetUpdatesRequest { Consumer = "slow" });
        var received = await call.ResponseStream.ReadAsync(20);
        var messageSize = received[^1].CalculateSize() + 5;
        var bound = Backpressure.InFlightBound(messageSize);

        // Stop reading: the server writes until the windows are full, then its write waits.
        var stalledSent = await Backpressure.WaitForStallAsync(server, "slow");
        var headAtStall = server.Log.Range.Head;
        var lagAtStall = server.Meters.Lag("slow")!.Value;
        await Task.Delay(700);
        var headLater = server.Log.Range.Head;
        var lagLater = server.Meters.Lag("slow")!.Value;

        var inFlight = stalledSent - received.Count;
        output.WriteLine($"message {messageSize} B, sent {stalledSent}, received {received.Count}, in flight {inFlight} (bound {bound}), lag {lagAtStall} -> {lagLater}, head {headAtStall} -> {headLater}");
        Assert.Equal(stalledSent, server.Meters.Sent("slow"));
        Assert.InRange(inFlight, 1, bound);
        Assert.True(headLater >= headAtStall + (ulong)(Rate * 0.3), $"the head should keep advancing while the consumer is stalled: {headAtStall} -> {headLater}");
        Assert.True(lagLater >= lagAtStall + (long)(Rate * 0.3), $"the lag should grow while the consumer is stalled: {lagAtStall} -> {lagLater}");

        // Read again: everything comes, in order, and the server's counter follows.
        var target = server.Log.Range.Head;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (received[^1].Sequence < target)
        {
            Assert.True(await call.ResponseStream.MoveNext(timeout.Token));
            received.Add(call.ResponseStream.Current);
        }
        Updates.AssertContiguous(received, received[0].Sequence);
        Assert.InRange(server.Meters.Sent("slow") - received.Count, 0, bound);
        Assert.True(server.Meters.Sent("slow") > stalledSent + (long)(target - headAtStall) / 2, "sent should catch up after the consumer reads again");
        // The write that waited through the stall is in the histogram: the stall made visible.
        Assert.True(server.Meters.WriteBlocked("slow").MaxSeconds >= 1.0, $"longest write {server.Meters.WriteBlocked("slow").MaxSeconds:F3} s");
    }

    [Fact]
    public async Task Consumer_falling_behind_the_retained_log_gets_out_of_range_after_what_was_already_sent()
    {
        await using var server = await StockTestServer.StartAsync($"Stock:UpdatesPerSecond={Rate}", "Stock:Capacity=500");
        using var call = server.Client.GetUpdates(new GetUpdatesRequest { Consumer = "behind" });
        var received = await call.ResponseStream.ReadAsync(5);
        await Backpressure.WaitForStallAsync(server, "behind");
        var sentAtStall = server.Meters.Sent("behind");
        await Wait.UntilAsync(() => server.Log.Range.Oldest > received[0].Sequence + (ulong)sentAtStall + 1, "the log dropped what the stream wants next");

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (await call.ResponseStream.MoveNext(timeout.Token))
            {
                received.Add(call.ResponseStream.Current);
            }
        });

        Assert.Equal(StatusCode.OutOfRange, error.StatusCode);
        Updates.AssertContiguous(received, received[0].Sequence);
        // Everything written before the stall arrives, plus the one write that was pending, and nothing else.
        Assert.Equal(sentAtStall + 1, received.Count);
        Assert.Equal(received.Count, server.Meters.Sent("behind"));
        var retention = error.GetRpcStatus()!.GetDetail<RetentionInfo>()!;
        Assert.True(retention.OldestRetainedSequence > received[^1].Sequence + 1, $"oldest {retention.OldestRetainedSequence}, last received {received[^1].Sequence}");
    }
}
