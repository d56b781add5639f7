using System.Threading.Channels;

namespace AspireProber.Dashboard.Components.Live;

/// <summary>
/// Tells open pages that something they show changed. Producers call <see cref="Publish"/> with a topic ("resources",
/// "console:{resource}", ...); every browser connected to <c>/ui/events</c> receives the topic and re-fetches the
/// fragments marked with it. Only topics travel, never data, so a slow browser just sees fewer, later refreshes.
/// </summary>
public sealed class LiveUpdates
{
    // Per subscriber; when a browser falls behind, its oldest pending topics are dropped (a refetch shows the latest state anyway).
    private const int PendingTopicsPerSubscriber = 64;

    private readonly Lock _lock = new();
    private readonly List<ChannelWriter<string>> _subscribers = [];

    /// <summary>Topic of the resource list and every resource's details.</summary>
    public const string ResourcesTopic = "resources";

    /// <summary>Topic of one resource's console output.</summary>
    public static string ConsoleTopic(string resourceName) => "console:" + resourceName;

    /// <summary>Announces that what <paramref name="topic"/> names changed.</summary>
    public void Publish(string topic)
    {
        lock (_lock)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.TryWrite(topic);
            }
        }
    }

    /// <summary>Receives every topic published from now until <paramref name="cancellationToken"/> fires.</summary>
    public async IAsyncEnumerable<string> SubscribeAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(PendingTopicsPerSubscriber)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_lock)
        {
            _subscribers.Add(channel.Writer);
        }
        try
        {
            await foreach (var topic in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return topic;
            }
        }
        finally
        {
            lock (_lock)
            {
                _subscribers.Remove(channel.Writer);
            }
        }
    }
}
