using System.Net;
using System.Text.RegularExpressions;
using AspireProber.ServiceDefaults;
using AspireProber.Stock.V1;
using AspireProber.StockStreamService.Tests.Infrastructure;
using AspireProber.Tests.Shared;
using Google.Rpc;
using Grpc.Core;

namespace AspireProber.StockStreamService.Tests;

/// <summary>Tests that scrape /metrics: every stock service of the test process is in it (the exporter subscribes by meter name), so they run alone.</summary>
[CollectionDefinition(nameof(HostileInputTests), DisableParallelization = true)]
public sealed class ScrapeCollection;

/// <summary>
/// What careless or hostile consumers and publishers send stays bounded: request sizes, errors, the number of open
/// streams per caller, and the metric labels they leave behind. The service keeps serving everyone else.
/// </summary>
[Collection(nameof(HostileInputTests))]
public sealed partial class HostileInputTests
{
    /// <summary>What a scrape of the service may weigh after any sequence of requests.</summary>
    private const int MaxScrapeBytes = 512 * 1024;

    [Fact]
    public async Task A_300_character_consumer_name_is_INVALID_ARGUMENT_without_being_echoed()
    {
        await using var server = await StockTestServer.StartAsync("Stock:UpdatesPerSecond=0");
        using var call = server.Client.GetUpdates(new GetUpdatesRequest { Consumer = new string('a', 300) });

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).Within());

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("consumer", Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations).Field);
        Assert.DoesNotContain(new string('a', 33), error.Status.Detail);
    }

    [Fact]
    public async Task Oversized_requests_are_RESOURCE_EXHAUSTED_and_long_ticker_lists_get_a_short_INVALID_ARGUMENT()
    {
        await using var server = await StockTestServer.StartAsync("Stock:UpdatesPerSecond=0");

        // Past the 64 KB every service accepts: refused before the message is parsed.
        var publish = await Assert.ThrowsAsync<RpcException>(() => server.Client.PublishAsync(Updates.Publish(new string('X', 100_000), 10)).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, publish.StatusCode);
        var everyTicker = new GetUpdatesRequest { Consumer = "hostile" };
        everyTicker.Tickers.AddRange(Enumerable.Range(0, 100_000).Select(i => $"X{i}"));
        Assert.Equal(StatusCode.ResourceExhausted, (await ReadErrorAsync(server.Client.GetUpdates(everyTicker))).StatusCode);

        // Under 64 KB but longer than the known tickers: one violation, no list of two thousand echoes.
        var longList = new GetUpdatesRequest { Consumer = "hostile" };
        longList.Tickers.AddRange(Enumerable.Range(0, 2000).Select(i => $"X{i}"));
        var tooMany = await ReadErrorAsync(server.Client.GetUpdates(longList));
        Assert.Equal(StatusCode.InvalidArgument, tooMany.StatusCode);
        Assert.Equal("tickers", Assert.Single(tooMany.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations).Field);
        Assert.Contains("lists 2000 tickers; at most 5", tooMany.Status.Detail);
        Assert.True(tooMany.Status.Detail.Length < 1024, tooMany.Status.Detail);

        // Unknown tickers are each named, the known ones once.
        var unknown = await ReadErrorAsync(server.Client.GetUpdates(new GetUpdatesRequest { Consumer = "typo", Tickers = { "MSFTT", "MSFT", "APPL" } }));
        Assert.Equal(["tickers[0]", "tickers[2]"], unknown.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations.Select(v => v.Field));
        Assert.Single(Regex.Matches(unknown.Status.Detail, "MSFT, AAPL, GOOG, AMZN, NVDA"));

        // The service still serves.
        Assert.Equal(1UL, (await server.Client.PublishAsync(Updates.Publish("MSFT", 10))).Sequence);
    }

    [Fact]
    public async Task Five_hundred_stalled_streams_from_one_caller_get_its_share_while_another_caller_is_served()
    {
        // Fast enough that every accepted stream fills its flow-control window and stalls.
        await using var server = await StockTestServer.StartAsync("Stock:UpdatesPerSecond=2000", "Stock:MaxStreamsPerCaller=100");
        var (hostile, hostileChannel) = server.ClientFrom(IPAddress.Parse("127.0.0.2"));
        var calls = new List<AsyncServerStreamingCall<StockUpdate>>();
        try
        {
            // Each call reads its first message (or its error), then never again.
            for (var i = 0; i < 500; i++)
            {
                calls.Add(hostile.GetUpdates(new GetUpdatesRequest { Consumer = "stalled" }));
            }
            var firstReads = calls.Select(call => call.ResponseStream.MoveNext(CancellationToken.None)).ToList();
            await Task.WhenAny(Task.WhenAll(firstReads), Task.Delay(TimeSpan.FromSeconds(60)));
            Assert.All(firstReads, read => Assert.True(read.IsCompleted, "a stream neither got an update nor an error within 60 s"));

            var refused = firstReads.Where(read => read.IsFaulted).Select(read => (RpcException)read.Exception!.InnerException!).ToList();
            Assert.Equal(100, firstReads.Count(read => read.IsCompletedSuccessfully && read.Result));
            Assert.Equal(400, refused.Count);
            Assert.All(refused, error =>
            {
                Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
                Assert.Equal("CALLER_STREAM_LIMIT", error.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
                Assert.Contains("127.0.0.2 already has 100 streams open", error.Status.Detail);
            });
            Assert.Equal(100, server.Streams.ActiveCount);

            // Another caller (127.0.0.1) streams and publishes as if nothing happened.
            using var reader = server.Client.GetUpdates(new GetUpdatesRequest { Consumer = "reader" });
            Assert.Equal(20, (await reader.ResponseStream.ReadAsync(20)).Count);
            Assert.True((await server.Client.PublishAsync(Updates.Publish("MSFT", 10))).Sequence > 0);
        }
        finally
        {
            calls.ForEach(call => call.Dispose());
            hostileChannel.Dispose();
        }
        // The cancelled streams end and give their places back.
        await Wait.UntilAsync(() => server.Streams.ActiveCount == 0, "every stalled stream has ended", seconds: 30);
    }

    [Fact]
    public async Task A_thousand_consumer_names_leave_a_bounded_promtool_clean_scrape()
    {
        Promtool.AssertInstalled();
        await using var server = await StockTestServer.StartAsync("Stock:UpdatesPerSecond=1000");

        // Fifty at a time, each reading one update so its name reaches the sent counter and the lag gauge.
        for (var batch = 0; batch < 20; batch++)
        {
            var calls = Enumerable.Range(batch * 50, 50).Select(i => server.Client.GetUpdates(new GetUpdatesRequest { Consumer = $"c{i}" })).ToList();
            await Task.WhenAll(calls.Select(call => call.ResponseStream.ReadAsync(1)));
            var scrapeWhileOpen = batch == 19 ? await server.ScrapeMetricsAsync() : null;
            calls.ForEach(call => call.Dispose());
            if (scrapeWhileOpen is not null)
            {
                AssertBounded(scrapeWhileOpen);
            }
            await Wait.UntilAsync(() => server.Streams.ActiveCount == 0, "the batch's streams have ended");
        }

        var scrape = await server.ScrapeMetricsAsync();
        AssertBounded(scrape);
        var (exitCode, output) = await Promtool.CheckMetricsAsync(scrape);
        Assert.True(exitCode == 0, output);

        static void AssertBounded(string scrape)
        {
            Assert.True(scrape.Length < MaxScrapeBytes, $"/metrics is {scrape.Length:N0} bytes after 1,000 consumer names.");
            var labels = ConsumerLabel().Matches(scrape).Select(match => match.Groups[1].Value).ToHashSet();
            Assert.InRange(labels.Count, 2, 21);   // Stock:MaxConsumerLabels (20), and "other"
            Assert.Contains(BoundedLabel.Other, labels);
        }
    }

    private static async Task<RpcException> ReadErrorAsync(AsyncServerStreamingCall<StockUpdate> call)
    {
        using (call)
        {
            return await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).Within());
        }
    }

    [GeneratedRegex("consumer=\"([^\"]*)\"")]
    private static partial Regex ConsumerLabel();
}
