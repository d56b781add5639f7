using AspireProber.ServiceDefaults;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace AspireProber.StockStreamService;

/// <summary>
/// The GetUpdates streams running now: what the lag gauge observes and what tests and logs count. It also bounds them:
/// at most <see cref="StockOptions.MaxStreams"/> at once, and <see cref="StockOptions.MaxStreamsPerCaller"/> per caller,
/// so a client opening streams it never reads cannot take the service's memory or every other consumer's place.
/// </summary>
/// <remarks>
/// A caller is the peer's IP address, the one thing a client cannot choose per call (a consumer name can be anything).
/// Each stalled stream costs little: its loop awaits one write, so one update is pending and nothing queues behind it.
/// </remarks>
public sealed class ConsumerStreams(IOptions<StockOptions> options) : IDisposable
{
    /// <summary>The error domain in google.rpc.ErrorInfo details.</summary>
    public const string ErrorDomain = "stock.v1";

    private readonly StockOptions _options = options.Value;
    private readonly CallerConcurrencyLimiter _limits = new(options.Value.MaxStreams, options.Value.MaxStreamsPerCaller);
    private readonly Lock _lock = new();
    // Each open stream with the slots it holds, given back when it closes.
    private readonly Dictionary<ConsumerStream, IDisposable> _active = [];

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

    /// <summary>
    /// Registers a stream of <paramref name="consumer"/> from <paramref name="caller"/> that has passed
    /// <paramref name="position"/>; <paramref name="activeCount"/> counts it. Throws RESOURCE_EXHAUSTED past either bound.
    /// </summary>
    public ConsumerStream Open(string consumer, string label, string caller, ulong position, out int activeCount)
    {
        var slots = _limits.TryAcquire(caller, out var refusal) ?? throw (refusal == CallerConcurrencyLimiter.Refusal.CallerLimit
            ? TooManyStreams("CALLER_STREAM_LIMIT",
                $"{caller} already has {_options.MaxStreamsPerCaller} streams open, the most one caller may (Stock:MaxStreamsPerCaller); close one, then retry.")
            : TooManyStreams("STREAM_LIMIT",
                $"This service already has its limit of {_options.MaxStreams} streams open (Stock:MaxStreams); retry shortly."));
        var stream = new ConsumerStream(consumer, label, position);
        lock (_lock)
        {
            _active.Add(stream, slots);
            activeCount = _active.Count;
        }
        return stream;
    }

    /// <summary>Unregisters a stream and gives its slots back; returns the count of streams still open.</summary>
    public int Close(ConsumerStream stream)
    {
        lock (_lock)
        {
            if (_active.Remove(stream, out var slots))
            {
                slots.Dispose();
            }
            return _active.Count;
        }
    }

    /// <summary>The open streams at this moment.</summary>
    public ConsumerStream[] Snapshot()
    {
        lock (_lock)
        {
            return [.. _active.Keys];
        }
    }

    private static RpcException TooManyStreams(string reason, string message) =>
        ResourceExhausted.Create(ErrorDomain, reason, message, retryAfter: TimeSpan.FromSeconds(1));

    /// <inheritdoc />
    public void Dispose() => _limits.Dispose();
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
