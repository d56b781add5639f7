namespace AspireProber.StockStreamService;

/// <summary>The GetUpdates streams running now: what the lag gauge observes and what tests and logs count.</summary>
public sealed class ConsumerStreams
{
    private readonly Lock _lock = new();
    private readonly HashSet<ConsumerStream> _active = [];

    /// <summary>How many streams are open.</summary>
    public int ActiveCount
    {
        get
        {
            lock (_lock)
            {
                return _active.Count;
            }
        }
    }

    /// <summary>Registers a stream of <paramref name="consumer"/> that has passed <paramref name="position"/>; <paramref name="activeCount"/> counts it.</summary>
    public ConsumerStream Open(string consumer, string label, ulong position, out int activeCount)
    {
        var stream = new ConsumerStream(consumer, label, position);
        lock (_lock)
        {
            _active.Add(stream);
            activeCount = _active.Count;
        }
        return stream;
    }

    /// <summary>Unregisters a stream; returns the count of streams still open.</summary>
    public int Close(ConsumerStream stream)
    {
        lock (_lock)
        {
            _active.Remove(stream);
            return _active.Count;
        }
    }

    /// <summary>The open streams at this moment.</summary>
    public ConsumerStream[] Snapshot()
    {
        lock (_lock)
        {
            return [.. _active];
        }
    }
}

/// <summary>One open GetUpdates stream: who reads it and how far it got.</summary>
public sealed class ConsumerStream(string consumer, string label, ulong position)
{
    private ulong _position = position;
    private long _sent;

    /// <summary>The consumer's name as it asked.</summary>
    public string Consumer { get; } = consumer;

    /// <summary>The consumer's metric label (bounded; see <see cref="StockMetrics.ConsumerLabel"/>).</summary>
    public string Label { get; } = label;

    /// <summary>The last sequence this stream has passed: written to the consumer, or skipped by its ticker filter.</summary>
    public ulong Position => Volatile.Read(ref _position);

    /// <summary>Updates whose write has completed on this stream.</summary>
    public long Sent => Volatile.Read(ref _sent);

    /// <summary>Records that the stream passed <paramref name="position"/> without writing (filtered out, or caught up).</summary>
    public void Advance(ulong position) => Volatile.Write(ref _position, position);

    /// <summary>Records a completed write of the update with <paramref name="sequence"/>.</summary>
    public void Wrote(ulong sequence)
    {
        Volatile.Write(ref _position, sequence);
        Interlocked.Increment(ref _sent);
    }
}
