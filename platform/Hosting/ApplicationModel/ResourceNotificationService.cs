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
        using var subscription = Subscribe();
        foreach (var resourceEvent in subscription.Current)
        {
            yield return resourceEvent;
        }
        await foreach (var resourceEvent in subscription.Changes.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return resourceEvent;
        }
    }

    /// <summary>
    /// The current snapshot of every replica and, taken under the same lock so nothing falls between them, the changes
    /// after it (the resource service sends the first as its initial data, the second as updates). Dispose to unsubscribe.
    /// </summary>
    internal Subscription Subscribe()
    {
        // Unbounded: state changes are a handful per replica's life, and dropping one would lose a transition.
        var channel = Channel.CreateUnbounded<ResourceEvent>(new UnboundedChannelOptions { SingleReader = true });
        lock (_gate)
        {
            _subscribers.Add(channel);
            return new Subscription(this, [.. _latest.Values], channel);
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

    /// <summary>A snapshot and the changes after it, until disposed.</summary>
    internal sealed class Subscription(ResourceNotificationService owner, ResourceEvent[] current, Channel<ResourceEvent> channel) : IDisposable
    {
        public ResourceEvent[] Current { get; } = current;

        public ChannelReader<ResourceEvent> Changes => channel.Reader;

        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._subscribers.Remove(channel);
            }
        }
    }
}
