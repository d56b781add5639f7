using AspireProber.Stock.V1;
using Grpc.Core;

namespace AspireProber.ProbeRunner;

/// <summary>
/// One consumer of the stock stream: handles each update at its own pace (a slow handler makes HTTP/2 flow control
/// push back on the server), reconnects with exponential backoff, resumes after the last sequence it received, and
/// counts every update it received and every one it missed.
/// </summary>
public sealed partial class StockConsumer(string name, ConsumerOptions options, StockService.StockServiceClient client, RunnerMetrics metrics, ILogger logger)
{
    private readonly Random _random = new(options.Seed);
    private ulong? _resumeAfter = options.StartAfterSequence;
    private ulong? _lastReceived;
    private long _received;
    private long _missed;
    private int _connects;

    /// <summary>The consumer's name, as its metrics are labelled.</summary>
    public string Name => name;

    /// <summary>Updates received so far.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Updates missed so far (sum of the jumps in sequence).</summary>
    public long Missed => Interlocked.Read(ref _missed);

    /// <summary>Streams opened so far (the first one included).</summary>
    public int Connects => Volatile.Read(ref _connects);

    /// <summary>Reads the stream until <paramref name="stoppingToken"/> fires, reconnecting whenever it ends or fails.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var backoff = options.InitialBackoff;
        while (!stoppingToken.IsCancellationRequested)
        {
            var receivedBefore = Received;
            string reason;
            string? detail = null;
            try
            {
                await ReadStreamAsync(stoppingToken);
                // The server ended the stream without an error (e.g. it is shutting down): reconnect like after a failure.
                reason = "the stream ended";
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.OutOfRange && ex.GetRpcStatus()?.GetDetail<RetentionInfo>() is { } retention)
            {
                // What we would resume from is gone: restart from the oldest update still retained, after the usual
                // backoff (a consumer that keeps falling behind must not reconnect in a tight loop). The jump is
                // counted as a gap when the first update arrives.
                _resumeAfter = retention.OldestRetainedSequence > 0 ? retention.OldestRetainedSequence - 1 : null;
                LogResumeOutOfRange(name, _lastReceived, retention.OldestRetainedSequence, retention.HeadSequence);
                reason = StatusCodeNames.Of(ex.StatusCode);
                detail = ex.Status.Detail;
            }
            catch (Exception ex) when (stoppingToken.IsCancellationRequested && ex is OperationCanceledException or RpcException)
            {
                return;
            }
            catch (RpcException ex)
            {
                reason = StatusCodeNames.Of(ex.StatusCode);
                detail = ex.Status.Detail;
            }
            catch (Exception ex)
            {
                // Not a gRPC error (a bug, or a transport surprise): still not a reason to stop consuming.
                reason = ex.GetType().Name;
                detail = ex.Message;
            }

            // A stream that delivered something was a success: the next failure starts the backoff afresh.
            if (Received > receivedBefore)
            {
                backoff = options.InitialBackoff;
            }
            // Jittered (half to all of the backoff), so consumers cut off together do not all come back at the same moment.
            var delay = backoff * (0.5 + Random.Shared.NextDouble() / 2);
            LogReconnecting(name, delay.TotalMilliseconds, reason, detail);
            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var doubled = TimeSpan.FromTicks(Math.Max(1, backoff.Ticks) * 2);
            backoff = doubled < options.MaxBackoff ? doubled : options.MaxBackoff;
        }
    }

    private async Task ReadStreamAsync(CancellationToken stoppingToken)
    {
        var request = new GetUpdatesRequest { Consumer = name };
        request.Tickers.AddRange(options.Tickers);
        if (_resumeAfter is { } resumeAfter)
        {
            request.ResumeAfterSequence = resumeAfter;
        }
        Interlocked.Increment(ref _connects);
        if (_resumeAfter is { } after)
        {
            LogResuming(name, after);
        }
        else
        {
            LogConnecting(name);
        }

        using var call = client.GetUpdates(request, cancellationToken: stoppingToken);
        await foreach (var update in call.ResponseStream.ReadAllAsync(stoppingToken))
        {
            Count(update.Sequence);
            await HandleAsync(stoppingToken);
        }
    }

    private void Count(ulong sequence)
    {
        if (_lastReceived is { } last)
        {
            if (sequence > last + 1)
            {
                var missed = (long)(sequence - last - 1);
                Interlocked.Add(ref _missed, missed);
                metrics.UpdatesMissed(name, missed);
                LogGap(name, last, sequence, missed);
            }
            else if (sequence <= last)
            {
                // The log restarted (a new stock service instance numbers from the start again): not a gap.
                LogSequenceRestarted(name, last, sequence);
            }
        }
        _lastReceived = sequence;
        _resumeAfter = sequence;
        Interlocked.Increment(ref _received);
        metrics.UpdateReceived(name);
    }

    // The work a consumer does per update: none for a fast consumer, a random pause (as the Go demo's slow consumer
    // sleeps 1-3 s) for a slow one, during which it reads nothing and the stream's flow-control window fills.
    private Task HandleAsync(CancellationToken stoppingToken)
    {
        if (options.MaxDelay <= TimeSpan.Zero)
        {
            return Task.CompletedTask;
        }
        var min = options.MinDelay.Ticks;
        var max = Math.Max(min, options.MaxDelay.Ticks);
        return Task.Delay(TimeSpan.FromTicks(min + (long)(_random.NextDouble() * (max - min))), stoppingToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Consumer {Consumer} connecting for new updates")]
    private partial void LogConnecting(string consumer);

    [LoggerMessage(Level = LogLevel.Information, Message = "Consumer {Consumer} connecting, resuming after sequence {ResumeAfterSequence}")]
    private partial void LogResuming(string consumer, ulong resumeAfterSequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consumer {Consumer} reconnecting in {BackoffMs} ms after {Reason}: {Detail}")]
    private partial void LogReconnecting(string consumer, double backoffMs, string reason, string? detail);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Consumer {Consumer} asked to resume after {LastSequence}, no longer retained; restarting from {OldestRetainedSequence} (head {HeadSequence})")]
    private partial void LogResumeOutOfRange(string consumer, ulong? lastSequence, ulong oldestRetainedSequence, ulong headSequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consumer {Consumer} missed {Missed} updates: sequence jumped from {LastSequence} to {Sequence}")]
    private partial void LogGap(string consumer, ulong lastSequence, ulong sequence, long missed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consumer {Consumer} saw the sequence go back from {LastSequence} to {Sequence}: the stock log restarted")]
    private partial void LogSequenceRestarted(string consumer, ulong lastSequence, ulong sequence);
}
