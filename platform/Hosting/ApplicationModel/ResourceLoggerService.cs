using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// The console output of every replica: the last <see cref="MaxLinesPerReplica"/> lines kept in a ring, and live lines
/// for watchers (the dashboard, tests).
/// </summary>
public sealed class ResourceLoggerService(int maxLinesPerReplica = ResourceLoggerService.DefaultMaxLinesPerReplica) : IDisposable
{
    /// <summary>The default ring size per replica.</summary>
    public const int DefaultMaxLinesPerReplica = 10_000;

    private readonly ConcurrentDictionary<string, ReplicaLog> _logs = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Lines kept per replica; older ones are dropped.</summary>
    public int MaxLinesPerReplica { get; } = maxLinesPerReplica > 0 ? maxLinesPerReplica : throw new ArgumentOutOfRangeException(nameof(maxLinesPerReplica));

    /// <summary>The lines of replica <paramref name="replicaIndex"/> of <paramref name="resource"/> still in its ring.</summary>
    public IReadOnlyList<LogLine> GetBacklog(IResource resource, int replicaIndex = 0) => GetBacklog(resource.GetReplicaName(replicaIndex));

    /// <summary>The lines of replica <paramref name="replicaName"/> (<c>{resource}-{index}</c>) still in its ring.</summary>
    public IReadOnlyList<LogLine> GetBacklog(string replicaName) => GetLog(replicaName).Snapshot();

    /// <summary>The backlog as a first batch, then new lines in batches, until cancelled or disposed.</summary>
    public IAsyncEnumerable<IReadOnlyList<LogLine>> WatchAsync(IResource resource, int replicaIndex = 0, CancellationToken cancellationToken = default) =>
        WatchAsync(resource.GetReplicaName(replicaIndex), cancellationToken);

    /// <summary>The backlog as a first batch, then new lines in batches, until cancelled or disposed.</summary>
    public async IAsyncEnumerable<IReadOnlyList<LogLine>> WatchAsync(string replicaName, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var log = GetLog(replicaName);
        var (backlog, channel) = log.Subscribe(MaxLinesPerReplica);
        try
        {
            if (backlog.Length > 0)
            {
                yield return backlog;
            }
            var batch = new List<LogLine>();
            while (await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (batch.Count < 1000 && channel.Reader.TryRead(out var line))
                {
                    batch.Add(line);
                }
                yield return batch.ToArray();
                batch.Clear();
            }
        }
        finally
        {
            log.Unsubscribe(channel);
        }
    }

    internal void Write(string replicaName, string content, bool isErrorMessage) => GetLog(replicaName).Add(content, isErrorMessage);

    private ReplicaLog GetLog(string replicaName) => _logs.GetOrAdd(replicaName, _ => new ReplicaLog(MaxLinesPerReplica));

    /// <summary>Ends every watch.</summary>
    public void Dispose()
    {
        foreach (var log in _logs.Values)
        {
            log.Complete();
        }
    }

    private sealed class ReplicaLog(int capacity)
    {
        private readonly Lock _gate = new();
        private readonly Queue<LogLine> _ring = new();
        private readonly List<Channel<LogLine>> _subscribers = [];
        private int _lineNumber;

        public void Add(string content, bool isErrorMessage)
        {
            lock (_gate)
            {
                var line = new LogLine(++_lineNumber, content, isErrorMessage);
                if (_ring.Count == capacity)
                {
                    _ring.Dequeue();
                }
                _ring.Enqueue(line);
                foreach (var subscriber in _subscribers)
                {
                    subscriber.Writer.TryWrite(line);
                }
            }
        }

        public LogLine[] Snapshot()
        {
            lock (_gate)
            {
                return [.. _ring];
            }
        }

        public (LogLine[] Backlog, Channel<LogLine> Channel) Subscribe(int capacity)
        {
            // Bounded like the ring: a watcher that stops reading loses its oldest unread lines (the line numbers show
            // the gap) instead of growing the AppHost's memory.
            var channel = Channel.CreateBounded<LogLine>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
            lock (_gate)
            {
                _subscribers.Add(channel);
                return ([.. _ring], channel);
            }
        }

        public void Unsubscribe(Channel<LogLine> channel)
        {
            lock (_gate)
            {
                _subscribers.Remove(channel);
            }
        }

        public void Complete()
        {
            lock (_gate)
            {
                foreach (var subscriber in _subscribers)
                {
                    subscriber.Writer.TryComplete();
                }
            }
        }
    }
}
