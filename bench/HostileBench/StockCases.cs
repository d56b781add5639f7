using System.Diagnostics;
using AspireProber.Stock.V1;
using Grpc.Core;

namespace AspireProber.HostileBench;

/// <summary>
/// Calls on the stock service: oversized and invalid GetUpdates requests, 1,000 consumer names, 500 streams held
/// without reading, oversized and garbage updates, and two PublishStreams, one fast and one that never reads its acks.
/// </summary>
internal sealed class StockCases(StockService.StockServiceClient stock)
{
    // A ticker the service knows (StockOptions' defaults), for the updates it is to accept.
    private const string KnownTicker = "MSFT";
    private const string Consumer = "hostile";
    private const int Concurrency = 4;
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_held = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_floodLimit = TimeSpan.FromSeconds(5);
    // A send that has not completed after this long waits for flow control: the service has stopped reading.
    private static readonly TimeSpan s_blockedSend = TimeSpan.FromSeconds(1);

    private readonly Lazy<GetUpdatesRequest> _manyTickers = new(() =>
    {
        var request = new GetUpdatesRequest { Consumer = Consumer };
        request.Tickers.AddRange(Enumerable.Range(0, 100_000).Select(i => $"X{i}"));
        return request;
    });

    private readonly Lazy<GetUpdatesRequest> _hugeTicker = new(() => new GetUpdatesRequest { Consumer = Consumer, Tickers = { new string('X', 3_900_000) } });

    /// <summary>The cases, in the order they run.</summary>
    public IReadOnlyList<HostileCase> Cases() =>
    [
        new("stock", "GetUpdates, consumer name of 300 chars ×20", 20, (outcomes, cancellationToken) =>
            outcomes.RunAsync(Concurrency, _ => ReadOneAsync(new GetUpdatesRequest { Consumer = new string('c', 300) }, cancellationToken), cancellationToken)),
        new("stock", "GetUpdates, 100,000 tickers X0..X99999 ×5", 5, (outcomes, cancellationToken) =>
            outcomes.RunAsync(Concurrency, _ => ReadOneAsync(_manyTickers.Value, cancellationToken), cancellationToken)),
        new("stock", "GetUpdates, ticker of 3.9 MB ×5", 5, (outcomes, cancellationToken) =>
            outcomes.RunAsync(Concurrency, _ => ReadOneAsync(_hugeTicker.Value, cancellationToken), cancellationToken)),
        new("stock", "GetUpdates, 1,000 consumers c0..c999, 50 open at a time, each reads one update then leaves", 1_000, (outcomes, cancellationToken) =>
            outcomes.RunAsync(50, i => ReadOneAsync(new GetUpdatesRequest { Consumer = $"c{i}" }, cancellationToken), cancellationToken)),
        new("stock", "GetUpdates, 500 streams from one caller, never read, held 10 s", 500, HoldUnreadAsync),
        new("stock", "Publish, ticker of 100 KB ×20", 20, (outcomes, cancellationToken) =>
            outcomes.RunAsync(Concurrency, _ => PublishAsync(Update(new string('T', 100 * 1024), 100), cancellationToken), cancellationToken)),
        new("stock", "Publish, unknown ticker and NaN price ×200", 200, (outcomes, cancellationToken) =>
            outcomes.RunAsync(Concurrency, i => PublishAsync(Update($"GARBAGE{i}", double.NaN), cancellationToken), cancellationToken)),
        new("stock", "PublishStream, 1,000 updates sent at once", 1, PublishAtOnceAsync),
        new("stock", "PublishStream, acks never read, sending until a send blocks or 5 s pass", 1, FloodUnreadAsync),
    ];

    // A consumer that reads one update, then leaves (cancels) as a consumer that goes away does; a refused request
    // ends with its status before any update.
    private async Task<string> ReadOneAsync(GetUpdatesRequest request, CancellationToken cancellationToken)
    {
        using var leaving = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var call = stock.GetUpdates(request, deadline: DateTime.UtcNow + s_deadline, cancellationToken: leaving.Token);
        try
        {
            if (!await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                return "OK, no update";
            }
        }
        catch (RpcException e)
        {
            return Outcomes.NameOf(e.StatusCode);
        }
        await leaving.CancelAsync();
        return $"1 update, then {await EndAsync(call.ResponseStream)}";
    }

    // 500 streams opened at once by one caller; the service takes at most Stock:MaxStreamsPerCaller (100) of them.
    // None is read for 10 s; then all are cancelled and each one's status read. The service answers an accepted and a
    // refused stream with the same response headers, so only the rest of the response, left unread until then, tells
    // which was which: a refused one's trailers (RESOURCE_EXHAUSTED), an accepted one's updates and then CANCELLED.
    private async Task HoldUnreadAsync(Outcomes outcomes, CancellationToken cancellationToken)
    {
        using var leaving = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var calls = Enumerable.Range(0, 500)
            .Select(_ => stock.GetUpdates(new GetUpdatesRequest { Consumer = Consumer }, deadline: DateTime.UtcNow + s_held + s_deadline, cancellationToken: leaving.Token))
            .ToList();
        try
        {
            // Every stream answered (headers), so each one has been taken or refused before the hold starts.
            await Task.WhenAll(calls.Select(HeadersAsync)).WaitAsync(s_deadline, cancellationToken);
            await Task.Delay(s_held, cancellationToken);
            await leaving.CancelAsync();
            foreach (var call in calls)
            {
                var status = await EndAsync(call.ResponseStream);
                outcomes.Add(status == "CANCELLED" ? $"open {s_held.TotalSeconds:0} s, then CANCELLED" : status);
            }
        }
        finally
        {
            foreach (var call in calls)
            {
                call.Dispose();
            }
        }
    }

    private static async Task HeadersAsync(AsyncServerStreamingCall<StockUpdate> call)
    {
        try
        {
            await call.ResponseHeadersAsync;
        }
        catch (RpcException)
        {
            // Failed before any answer: its status is read with the others'.
        }
    }

    private Task<string> PublishAsync(StockUpdate update, CancellationToken cancellationToken) =>
        Outcomes.StatusOf(() => stock.PublishAsync(new PublishRequest { Update = update }, deadline: DateTime.UtcNow + s_deadline,
            cancellationToken: cancellationToken).ResponseAsync);

    // A publisher that sends 1,000 valid updates without waiting for their acks, reading the acks as they come.
    private async Task PublishAtOnceAsync(Outcomes outcomes, CancellationToken cancellationToken)
    {
        const int updates = 1_000;
        using var call = stock.PublishStream(deadline: DateTime.UtcNow + 3 * s_deadline, cancellationToken: cancellationToken);
        var acks = 0;
        var reading = Task.Run(async () =>
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                acks++;
            }
        }, CancellationToken.None);
        var status = await Outcomes.StatusOf(async () =>
        {
            for (var i = 0; i < updates; i++)
            {
                await call.RequestStream.WriteAsync(new PublishRequest { Update = Update(KnownTicker, 100 + i % 100 / 100.0) }, cancellationToken);
            }
            await call.RequestStream.CompleteAsync();
            await reading;
        });
        outcomes.Add(acks == updates ? $"{status}, every update acknowledged" : $"{status}, {acks:N0} of {updates:N0} acknowledged");
    }

    // A publisher that never reads its acks: the service's ack writes wait for flow control, it stops reading updates,
    // and the publisher's sends wait in turn. Sends until one has waited a second, or 5 s passed; then leaves.
    private async Task FloodUnreadAsync(Outcomes outcomes, CancellationToken cancellationToken)
    {
        using var leaving = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var call = stock.PublishStream(deadline: DateTime.UtcNow + 3 * s_deadline, cancellationToken: leaving.Token);
        var clock = Stopwatch.StartNew();
        var sent = 0;
        Task? blocked = null;
        string? failed = null;
        try
        {
            while (clock.Elapsed < s_floodLimit)
            {
                var send = call.RequestStream.WriteAsync(new PublishRequest { Update = Update(KnownTicker, 100 + sent % 100 / 100.0) }, CancellationToken.None);
                if (await Task.WhenAny(send, Task.Delay(s_blockedSend, cancellationToken)) != send)
                {
                    blocked = send;
                    break;
                }
                await send;
                sent++;
            }
        }
        catch (RpcException e)
        {
            failed = Outcomes.NameOf(e.StatusCode);
        }
        outcomes.Note(blocked is not null
            ? $"{sent:N0} updates sent, then a send waited {s_blockedSend.TotalSeconds:0} s ({clock.Elapsed.TotalSeconds:0.0} s in)"
            : $"{sent:N0} updates sent in {clock.Elapsed.TotalSeconds:0.0} s");
        await leaving.CancelAsync();
        if (blocked is not null)
        {
            // The waiting send ends with the call.
            await Outcomes.StatusOf(() => blocked);
        }
        var how = failed is not null ? "a send failed" : blocked is not null ? "send blocked" : $"{s_floodLimit.TotalSeconds:0} s passed";
        outcomes.Add($"{how}, then {failed ?? await EndAsync(call.ResponseStream)}");
    }

    // What a stream ends with once the bench has cancelled it (the messages still buffered are passed over).
    private static async Task<string> EndAsync<T>(IAsyncStreamReader<T> stream)
    {
        try
        {
            while (await stream.MoveNext(CancellationToken.None))
            {
            }
            return "OK";
        }
        catch (RpcException e)
        {
            return Outcomes.NameOf(e.StatusCode);
        }
    }

    private static StockUpdate Update(string ticker, double price) =>
        new() { Ticker = ticker, Price = price, OpenPrice = 100, HighPrice = 101, LowPrice = 99, Volume = 1 };
}
