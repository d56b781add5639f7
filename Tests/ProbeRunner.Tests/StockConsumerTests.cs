using AspireProber.ProbeRunner.Tests.Infrastructure;
using AspireProber.Stock.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging.Abstractions;

namespace AspireProber.ProbeRunner.Tests;

public class StockConsumerTests
{
    private static readonly ConsumerOptions Fast = new() { InitialBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(100) };

    [Fact]
    public async Task The_fast_consumer_receives_every_update_sent()
    {
        var stock = new FakeStockService();
        await using var server = await KestrelGrpcServer.StartAsync(stock);
        using var meters = new TestMeters();
        await using var run = ConsumerRun.Start("fast", Fast, server, meters);

        await Eventually.TrueAsync(() => stock.Requests.Count == 1, "the consumer connected");
        stock.Append(100);
        await Eventually.TrueAsync(() => run.Consumer.Received == 100, "all 100 updates arrived");
        stock.Append(50);
        await Eventually.TrueAsync(() => run.Consumer.Received == 150, "the next 50 arrived on the same stream");

        Assert.Equal(stock.Sent("fast"), run.Consumer.Received);
        Assert.Equal(150, meters.Recorder.Sum("stock.updates.received", ("consumer", "fast")));
        Assert.Equal("{update}", meters.Recorder.Of("stock.updates.received")[0].Unit);
        Assert.Equal(0, run.Consumer.Missed);
        Assert.Equal(1, run.Consumer.Connects);
        var request = Assert.Single(stock.Requests);
        Assert.Equal("fast", request.Consumer);
        Assert.False(request.HasResumeAfterSequence);
    }

    [Fact]
    public async Task After_the_stream_drops_the_consumer_resumes_after_the_last_sequence_and_loses_nothing()
    {
        var stock = new FakeStockService { DropAfter = stream => stream switch { 1 => 30, 2 => 25, _ => null } };
        stock.Append(100); // before the consumer connects: it resumes from the start of the log
        await using var server = await KestrelGrpcServer.StartAsync(stock);
        using var meters = new TestMeters();
        await using var run = ConsumerRun.Start("fast", Fast, server, meters, resumeFromStart: true);

        await Eventually.TrueAsync(() => run.Consumer.Received == 100, "every retained update arrived across three streams");

        Assert.Equal([0ul, 30ul, 55ul], stock.Requests.Select(r => r.ResumeAfterSequence));
        Assert.All(stock.Requests, r => Assert.True(r.HasResumeAfterSequence));
        Assert.Equal(0, run.Consumer.Missed);
        Assert.Equal(0, meters.Recorder.Sum("stock.updates.gap"));
        Assert.Equal(3, run.Consumer.Connects);
    }

    [Fact]
    public async Task OUT_OF_RANGE_restarts_from_the_oldest_retained_update_and_counts_the_gap()
    {
        var stock = new FakeStockService { DropAfter = stream => stream == 1 ? 10 : null };
        stock.Append(10);
        // While the consumer is away the log moves on and drops 11..20: its resume point (10) is gone.
        stock.OnDrop = _ =>
        {
            stock.Append(30);
            stock.Retain(21);
        };
        await using var server = await KestrelGrpcServer.StartAsync(stock);
        using var meters = new TestMeters();
        await using var run = ConsumerRun.Start("fast", Fast, server, meters, resumeFromStart: true);
        stock.Append(1); // the 11th update makes the first stream reach its drop point

        await Eventually.TrueAsync(() => run.Consumer.Received == 10 + 21, "updates 1..10 and then 21..41 arrived");

        Assert.Equal([0ul, 10ul, 20ul], stock.Requests.Select(r => r.ResumeAfterSequence));
        Assert.Equal(10, run.Consumer.Missed);
        Assert.Equal(10, meters.Recorder.Sum("stock.updates.gap", ("consumer", "fast")));
    }

    [Fact]
    public async Task OUT_OF_RANGE_again_and_again_is_met_with_backoff_not_a_tight_loop()
    {
        var stock = new FakeStockService { AlwaysOutOfRange = true };
        await using var server = await KestrelGrpcServer.StartAsync(stock);
        using var meters = new TestMeters();

        int requests;
        await using (var run = ConsumerRun.Start("fast", Fast, server, meters))
        {
            // Counted from the first refusal on, so the channel's connection set-up is not in the second measured.
            await Eventually.TrueAsync(() => stock.Requests.Count >= 2, "the consumer was refused and came back");
            var first = stock.Requests.Count;
            await Task.Delay(TimeSpan.FromSeconds(1));
            requests = stock.Requests.Count - first;
        }

        // Backoff from 20 ms up to 100 ms, each wait at least half of it: about 20 reconnects in a second, at most.
        // With no backoff after OUT_OF_RANGE it reconnected as fast as the server answered, hundreds of times.
        Assert.InRange(requests, 1, 40);
    }

    [Fact]
    public async Task Fast_and_slow_consumers_run_at_once_on_their_own_streams_and_the_slow_one_falls_behind()
    {
        var stock = new FakeStockService();
        await using var server = await KestrelGrpcServer.StartAsync(stock);
        await using var runner = await RunnerApp.StartAsync(
            ("services:stock:grpc:0", server.Address.ToString()),
            ("Runner:Consumers:slow:MinDelay", "00:00:00.200"),
            ("Runner:Consumers:slow:MaxDelay", "00:00:00.300"));
        await Eventually.TrueAsync(() => stock.Requests.Count == 2, "both consumers connected");

        var appended = System.Diagnostics.Stopwatch.StartNew();
        stock.Append(40);
        var consumers = runner.GetRequiredService<StockConsumersWorker>().Consumers.ToDictionary(c => c.Name);
        await Eventually.TrueAsync(() => consumers["fast"].Received == 40, "the fast consumer got everything");
        await Eventually.TrueAsync(() => consumers["slow"].Received >= 2, "the slow consumer handled a couple");

        Assert.Equal(["fast", "slow"], stock.Requests.Select(r => r.Consumer).Order());
        // 200-300 ms per update: the slow consumer cannot have handled more than one per 200 ms (plus the one in hand).
        Assert.InRange(consumers["slow"].Received, 2, (long)(appended.Elapsed / TimeSpan.FromMilliseconds(200)) + 1);
        Assert.Equal(40, stock.Sent("fast"));
    }

    /// <summary>One consumer running against a server until disposed.</summary>
    private sealed class ConsumerRun : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly GrpcChannel _channel;
        private readonly Task _running;

        private ConsumerRun(StockConsumer consumer, GrpcChannel channel)
        {
            Consumer = consumer;
            _channel = channel;
            _running = consumer.RunAsync(_stop.Token);
        }

        public StockConsumer Consumer { get; }

        public static ConsumerRun Start(string name, ConsumerOptions options, KestrelGrpcServer server, TestMeters meters, bool resumeFromStart = false)
        {
            var channel = GrpcChannel.ForAddress(server.Address);
            if (resumeFromStart)
            {
                options = new ConsumerOptions { InitialBackoff = options.InitialBackoff, MaxBackoff = options.MaxBackoff, StartAfterSequence = 0 };
            }
            var consumer = new StockConsumer(name, options, new StockService.StockServiceClient(channel), meters.Metrics, NullLogger.Instance);
            return new ConsumerRun(consumer, channel);
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            // RunAsync returns on cancellation: a consumer that threw or hung would fail the test here.
            await _running.WaitAsync(TimeSpan.FromSeconds(5));
            _channel.Dispose();
        }
    }
}
