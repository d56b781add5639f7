using AspireProber.Stock.V1;
using AspireProber.StockStreamService.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AspireProber.StockStreamService.Tests;

/// <summary>Tests that read the process's managed heap, so they run alone (other tests' allocations would blur it).</summary>
[CollectionDefinition(nameof(MemoryBoundTests), DisableParallelization = true)]
public sealed class MemoryCollection;

/// <summary>A stalled consumer costs a position and one pending message, not a queue: memory does not grow with the stall.</summary>
[Collection(nameof(MemoryBoundTests))]
public sealed class MemoryBoundTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Stalled_consumers_do_not_grow_the_heap_while_updates_keep_coming()
    {
        // Five seconds of updates: a consumer that a loaded machine starts late must still find its first updates in
        // the log (with 0.4 s of retention it was sometimes told OUT_OF_RANGE before it ever stalled).
        const int Capacity = 25_000;
        await using var server = await StockTestServer.StartAsync("Stock:UpdatesPerSecond=5000", $"Stock:Capacity={Capacity}");
        using var first = server.Client.GetUpdates(new GetUpdatesRequest { Consumer = "stalled-a" });
        using var second = server.Client.GetUpdates(new GetUpdatesRequest { Consumer = "stalled-b" });
        await first.ResponseStream.ReadAsync(5);
        await second.ResponseStream.ReadAsync(5);
        await Backpressure.WaitForStallAsync(server, "stalled-a");
        await Backpressure.WaitForStallAsync(server, "stalled-b");
        await Wait.UntilAsync(() => server.Meters.LogSize() == Capacity, "the log is full", seconds: 30);

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var headBefore = server.Log.Range.Head;
        await Task.Delay(TimeSpan.FromSeconds(3));
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var headAfter = server.Log.Range.Head;

        var growth = after - before;
        output.WriteLine($"heap {before / 1024} KB -> {after / 1024} KB ({growth / 1024:+#;-#;0} KB) while {headAfter - headBefore} updates were made");
        Assert.True(headAfter - headBefore > 10_000, "updates kept coming during the stall");
        Assert.Equal(Capacity, server.Meters.LogSize());
        Assert.Equal(2, server.Streams.ActiveCount);
        // 15,000 updates of ~300 bytes each would be ~4.5 MB if anything queued them per consumer.
        Assert.True(growth < 1024 * 1024, $"the heap grew by {growth / 1024} KB during the stall");
    }
}
