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
public sealed class ConsumerStreams(IOptions<StockOptions> options)
{
    /// <summary>The error domain in google.rpc.ErrorInfo details.</summary>
    public const string ErrorDomain = "stock.v1";

    private readonly int _maxStreams = options.Value.MaxStreams;
    private readonly int _maxPerCaller = options.Value.MaxStreamsPerCaller;
    private readonly Lock _lock = new();
    private readonly HashSet<ConsumerStream> _active = [];
    // Callers with at least one open stream; a caller is removed with its last stream, so the map stays bounded too.
    private readonly Dictionary<string, int> _perCaller = new(StringComparer.Ordinal);

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
        var stream = new ConsumerStream(consumer, label, caller, position);
        lock (_lock)
        {
            var callerStreams = _perCaller.GetValueOrDefault(caller);
            if (callerStreams >= _maxPerCaller)
            {
                throw TooManyStreams("CALLER_STREAM_LIMIT",
                    $"{caller} already has {callerStreams} streams open, the most one caller may (Stock:MaxStreamsPerCaller); close one, then retry.");
            }
            if (_active.Count >= _maxStreams)
            {
                throw TooManyStreams("STREAM_LIMIT",
                    $"This service already has its limit of {_maxStreams} streams open (Stock:MaxStreams); retry shortly.");
            }
            _active.Add(stream);
            _perCaller[caller] = callerStreams + 1;
            activeCount = _active.Count;
        }
        return stream;
    }

    /// <summary>Unregisters a stream; returns the count of streams still open.</summary>
    public int Close(ConsumerStream stream)
    {
        lock (_lock)
        {
            if (_active.Remove(stream))
            {
                var left = _perCaller[stream.Caller] - 1;
                if (left == 0)
                {
                    _perCaller.Remove(stream.Caller);
                }
                else
                {
                    _perCaller[stream.Caller] = left;
                }
            }
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

    private static RpcException TooManyStreams(string reason, string message) =>
        ResourceExhausted.Create(ErrorDomain, reason, message, retryAfter: TimeSpan.FromSeconds(1));
}

/// <summary>One open GetUpdates stream: who reads it and how far it got.</summary>
public sealed class ConsumerStream(string consumer, string label, string caller, ulong position)
{
    private ulong _position = position;
    private long _sent;

    /// <summary>The consumer's name as it asked.</summary>
    public string Consumer { get; } = consumer;

    /// <summary>The consumer's metric label (bounded; see <see cref="StockMetrics.ConsumerLabel"/>).</summary>
    public string Label { get; } = label;

    /// <summary>The peer address the stream came from, which the per-caller bound counts by.</summary>
    public string Caller { get; } = caller;

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
