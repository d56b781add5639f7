using AspireProber.Stock.V1;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;

namespace AspireProber.StockStreamService;

/// <summary>
/// The bounded, in-memory log of stock updates: a ring of the newest <see cref="StockOptions.Capacity"/> updates,
/// each numbered with a sequence that grows by one per append (the first is 1). Streams read it by sequence at
/// their own pace, so a slow consumer costs a position, not a queue.
/// </summary>
public sealed class StockLog
{
    private readonly Lock _lock = new();
    private readonly StockUpdate[] _ring;
    private readonly TimeProvider _timeProvider;
    private ulong _head;
    private int _count;
    // Completed on the next append and replaced: waiting streams wake once per append, nobody polls.
    private TaskCompletionSource _appended = NewSignal();

    /// <summary>Creates an empty log holding at most <see cref="StockOptions.Capacity"/> updates.</summary>
    public StockLog(IOptions<StockOptions> options, TimeProvider timeProvider)
    {
        _ring = new StockUpdate[options.Value.Capacity];
        _timeProvider = timeProvider;
    }

    /// <summary>The most updates the log holds.</summary>
    public int Capacity => _ring.Length;

    /// <summary>The oldest retained and the newest sequence, read together.</summary>
    public LogRange Range
    {
        get
        {
            lock (_lock)
            {
                return RangeUnlocked();
            }
        }
    }

    /// <summary>
    /// Appends an update, setting its sequence and timestamp, and returns the sequence. The log keeps the
    /// instance and streams write it as is: the caller must not change it afterwards.
    /// </summary>
    public ulong Append(StockUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        TaskCompletionSource appended;
        ulong sequence;
        lock (_lock)
        {
            sequence = ++_head;
            update.Sequence = sequence;
            update.Timestamp = Timestamp.FromDateTimeOffset(_timeProvider.GetUtcNow());
            _ring[(sequence - 1) % (ulong)_ring.Length] = update;
            _count = Math.Min(_count + 1, _ring.Length);
            appended = _appended;
            _appended = NewSignal();
        }
        appended.SetResult();
        return sequence;
    }

    /// <summary>
    /// The first update after <paramref name="afterSequence"/> that <paramref name="tickers"/> selects (null: any).
    /// When none is there yet the result has no update and its position is the head, so the next read starts there.
    /// </summary>
    public LogRead ReadAfter(ulong afterSequence, IReadOnlySet<string>? tickers)
    {
        lock (_lock)
        {
            var range = RangeUnlocked();
            if (afterSequence + 1 < range.Oldest)
            {
                return new LogRead(null, afterSequence, Dropped: true);
            }
            // Bounded by the capacity: a filtered stream skips at most what the ring holds.
            for (var sequence = afterSequence + 1; sequence <= range.Head; sequence++)
            {
                var update = _ring[(sequence - 1) % (ulong)_ring.Length];
                if (tickers is null || tickers.Contains(update.Ticker))
                {
                    return new LogRead(update, sequence, Dropped: false);
                }
            }
            return new LogRead(null, Math.Max(afterSequence, range.Head), Dropped: false);
        }
    }

    /// <summary>Completes once the head is past <paramref name="afterSequence"/> (at once if it already is).</summary>
    public Task WaitForAppendAsync(ulong afterSequence, CancellationToken cancellationToken)
    {
        Task appended;
        lock (_lock)
        {
            if (_head > afterSequence)
            {
                return Task.CompletedTask;
            }
            appended = _appended.Task;
        }
        return appended.WaitAsync(cancellationToken);
    }

    // An empty log's range is (1, 0): every "after" from 0 on is still retained.
    private LogRange RangeUnlocked() => new(_head - (ulong)_count + 1, _head);

    // Continuations run off the appending thread: the generator must not run every waiting stream's loop.
    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>The sequences a log holds: <see cref="Oldest"/> to <see cref="Head"/> (Oldest = Head + 1 when empty).</summary>
public readonly record struct LogRange(ulong Oldest, ulong Head)
{
    /// <summary>Whether a consumer that last saw <paramref name="sequence"/> can resume without losing updates.</summary>
    public bool CanResumeAfter(ulong sequence) => sequence + 1 >= Oldest && sequence <= Head;
}

/// <summary>
/// One read of the log: the update found (or null: caught up), the sequence the reader has now passed, and
/// whether the updates it wanted next were already dropped.
/// </summary>
public readonly record struct LogRead(StockUpdate? Update, ulong Position, bool Dropped);
