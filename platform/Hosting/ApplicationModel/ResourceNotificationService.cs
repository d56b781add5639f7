using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>Publishes every replica's state changes and lets callers watch them or wait for a state.</summary>
public sealed class ResourceNotificationService(DistributedApplicationModel model) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ResourceEvent> _latest = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Channel<ResourceEvent>> _subscribers = [];

    /// <summary>The latest snapshot of every replica that has published one.</summary>
    public IReadOnlyList<ResourceEvent> GetCurrentStates()
    {
        lock (_gate)
        {
            return [.. _latest.Values];
        }
    }

    /// <summary>The latest snapshot of one replica, or null before it published any.</summary>
    public ResourceEvent? GetCurrentState(string resourceName, int replicaIndex = 0)
    {
        lock (_gate)
        {
            return _latest.GetValueOrDefault(model.GetResource(resourceName).GetReplicaName(replicaIndex));
        }
    }

    /// <summary>The current snapshot of every replica, then each change as it happens, until cancelled or the application is disposed.</summary>
    public async IAsyncEnumerable<ResourceEvent> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Unbounded: state changes are a handful per replica's life, and dropping one would lose a transition.
        var channel = Channel.CreateUnbounded<ResourceEvent>(new UnboundedChannelOptions { SingleReader = true });
        lock (_gate)
        {
            foreach (var current in _latest.Values)
            {
                channel.Writer.TryWrite(current);
            }
            _subscribers.Add(channel);
        }
        try
        {
            await foreach (var resourceEvent in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return resourceEvent;
            }
        }
        finally
        {
            lock (_gate)
            {
                _subscribers.Remove(channel);
            }
        }
    }

    /// <summary>Waits until some replica of <paramref name="resourceName"/> publishes a snapshot that satisfies <paramref name="predicate"/>.</summary>
    public async Task<ResourceEvent> WaitForResourceAsync(string resourceName, Func<ResourceEvent, bool> predicate, CancellationToken cancellationToken = default)
    {
        var resource = model.GetResource(resourceName);
        await foreach (var resourceEvent in WatchAsync(cancellationToken).ConfigureAwait(false))
        {
            if (resourceEvent.Resource == resource && predicate(resourceEvent))
            {
                return resourceEvent;
            }
        }
        throw new OperationCanceledException(cancellationToken);
    }

    /// <summary>Waits until some replica of <paramref name="resourceName"/> is in <paramref name="state"/> (one of <see cref="KnownResourceStates"/>).</summary>
    public Task<ResourceEvent> WaitForResourceAsync(string resourceName, string state, CancellationToken cancellationToken = default) =>
        WaitForResourceAsync(resourceName, e => e.Snapshot.State == state, cancellationToken);

    /// <summary>Waits until every replica of <paramref name="resourceName"/> is running and healthy.</summary>
    public async Task WaitForResourceHealthyAsync(string resourceName, CancellationToken cancellationToken = default)
    {
        var resource = model.GetResource(resourceName);
        var healthy = new HashSet<int>();
        await foreach (var resourceEvent in WatchAsync(cancellationToken).ConfigureAwait(false))
        {
            if (resourceEvent.Resource != resource)
            {
                continue;
            }
            if (resourceEvent.Snapshot.IsHealthy)
            {
                healthy.Add(resourceEvent.ReplicaIndex);
            }
            else
            {
                healthy.Remove(resourceEvent.ReplicaIndex);
            }
            if (healthy.Count == resource.GetReplicaCount())
            {
                return;
            }
        }
        throw new OperationCanceledException(cancellationToken);
    }

    internal void Publish(IResource resource, int replicaIndex, ResourceSnapshot snapshot)
    {
        var resourceEvent = new ResourceEvent(resource, replicaIndex, snapshot);
        lock (_gate)
        {
            _latest[resourceEvent.ReplicaName] = resourceEvent;
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(resourceEvent);
            }
        }
    }

    /// <summary>Ends every watch.</summary>
    public void Dispose()
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
