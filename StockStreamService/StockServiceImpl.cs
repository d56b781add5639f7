using System.Diagnostics;
using AspireProber.ServiceDefaults;
using AspireProber.Stock.V1;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace AspireProber.StockStreamService;

/// <summary>
/// stock.v1.StockService: streams the log to consumers, one awaited write at a time, and appends what publishers send.
/// </summary>
public sealed partial class StockServiceImpl(
    StockLog log,
    ConsumerStreams streams,
    StockMetrics metrics,
    RequestValidator validator,
    IHostApplicationLifetime lifetime,
    ILogger<StockServiceImpl> logger) : StockService.StockServiceBase
{
    /// <inheritdoc />
    public override async Task GetUpdates(GetUpdatesRequest request, IServerStreamWriter<StockUpdate> responseStream, ServerCallContext context)
    {
        var tickers = validator.ValidateGetUpdates(request);
        var start = StartPosition(request);
        var label = metrics.ConsumerLabel(request.Consumer);
        var stream = streams.Open(request.Consumer, label, CallerAddress.Of(context), start, out var activeCount);
        Log.ConsumerConnected(logger, request.Consumer, context.Peer, tickers is null ? "all" : string.Join(",", tickers), start, activeCount);

        // Waiting for new updates also ends when the server stops, so shutdown does not wait for idle streams.
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        try
        {
            while (true)
            {
                var read = log.ReadAfter(stream.Position, tickers);
                if (read.Dropped)
                {
                    var range = log.Range;
                    Log.ConsumerFellBehind(logger, request.Consumer, stream.Position, range.Oldest);
                    throw OutOfRange($"The consumer fell behind: the updates after sequence {stream.Position} were dropped; the oldest retained is {range.Oldest}.", range);
                }
                if (read.Update is null)
                {
                    stream.Advance(read.Position);
                    await log.WaitForAppendAsync(read.Position, ended.Token);
                    continue;
                }
                // The write completes when HTTP/2 flow control accepted the message: a consumer that does not read
                // stalls this loop here, with exactly this one message pending and nothing queued behind it.
                var writeStarted = Stopwatch.GetTimestamp();
                await responseStream.WriteAsync(read.Update);
                metrics.WriteCompleted(label, Stopwatch.GetElapsedTime(writeStarted));
                stream.Wrote(read.Update.Sequence);
            }
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            // UNAVAILABLE tells the consumer to reconnect (to another replica, or this one when it is back) and resume.
            throw new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, $"The server is stopping; resume after sequence {stream.Position}."));
        }
        finally
        {
            var stillActive = streams.Close(stream);
            Log.ConsumerDisconnected(logger, request.Consumer, stream.Sent, stream.Position, log.Range.Head - stream.Position, stillActive);
        }
    }

    /// <inheritdoc />
    public override Task<PublishReply> Publish(PublishRequest request, ServerCallContext context)
    {
        validator.ValidatePublish(request);
        var sequence = log.Append(request.Update);
        Log.Published(logger, request.Update.Ticker, sequence);
        return Task.FromResult(new PublishReply { Sequence = sequence });
    }

    /// <inheritdoc />
    public override async Task PublishStream(IAsyncStreamReader<PublishRequest> requestStream, IServerStreamWriter<PublishReply> responseStream, ServerCallContext context)
    {
        // One update at a time: its acknowledgement is written before the next is read, so acks come in order
        // and a publisher that does not read its acks is slowed by flow control like any consumer.
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            validator.ValidatePublish(request);
            var sequence = log.Append(request.Update);
            Log.Published(logger, request.Update.Ticker, sequence);
            await responseStream.WriteAsync(new PublishReply { Sequence = sequence });
        }
    }

    /// <summary>The sequence a new stream has already passed: the head, or the one it resumes after if still retained.</summary>
    private ulong StartPosition(GetUpdatesRequest request)
    {
        var range = log.Range;
        if (!request.HasResumeAfterSequence)
        {
            return range.Head;
        }
        var after = request.ResumeAfterSequence;
        if (!range.CanResumeAfter(after))
        {
            Log.ResumeOutOfRange(logger, request.Consumer, after, range.Oldest, range.Head);
            throw OutOfRange(after > range.Head
                ? $"Sequence {after} is ahead of the head {range.Head} (did the server restart?); start again without resume_after_sequence."
                : $"Sequence {after} is no longer retained; the oldest retained is {range.Oldest}.", range);
        }
        Log.ConsumerResumes(logger, request.Consumer, after, range.Head - after);
        return after;
    }

    private static RpcException OutOfRange(string message, LogRange range) =>
        new Google.Rpc.Status
        {
            Code = (int)Code.OutOfRange,
            Message = message,
            Details = { Any.Pack(new RetentionInfo { OldestRetainedSequence = range.Oldest, HeadSequence = range.Head }) },
        }.ToRpcException();

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Consumer {Consumer} connected from {Peer} for tickers {Tickers}, after sequence {StartSequence}; {ActiveStreams} streams active")]
        public static partial void ConsumerConnected(ILogger logger, string consumer, string peer, string tickers, ulong startSequence, int activeStreams);

        [LoggerMessage(2, LogLevel.Information, "Consumer {Consumer} disconnected after {Sent} updates sent; last sequence {LastSequence}, lag {Lag}; {ActiveStreams} streams active")]
        public static partial void ConsumerDisconnected(ILogger logger, string consumer, long sent, ulong lastSequence, ulong lag, int activeStreams);

        [LoggerMessage(3, LogLevel.Information, "Consumer {Consumer} resumes after sequence {Sequence}: {Backlog} updates to catch up on")]
        public static partial void ConsumerResumes(ILogger logger, string consumer, ulong sequence, ulong backlog);

        [LoggerMessage(4, LogLevel.Warning, "Consumer {Consumer} asked to resume after sequence {Sequence}, outside the retained {Oldest}..{Head}: OUT_OF_RANGE")]
        public static partial void ResumeOutOfRange(ILogger logger, string consumer, ulong sequence, ulong oldest, ulong head);

        [LoggerMessage(5, LogLevel.Warning, "Consumer {Consumer} fell behind the log at sequence {Sequence} (oldest retained {Oldest}): OUT_OF_RANGE")]
        public static partial void ConsumerFellBehind(ILogger logger, string consumer, ulong sequence, ulong oldest);

        [LoggerMessage(6, LogLevel.Debug, "Published {Ticker} as sequence {Sequence}")]
        public static partial void Published(ILogger logger, string ticker, ulong sequence);
    }
}
