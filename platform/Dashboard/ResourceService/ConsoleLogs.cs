using AspireProber.Dashboard.Components.Live;

namespace AspireProber.Dashboard.ResourceService;

/// <summary>
/// The console output of the resources someone looked at: a resource's tail starts following on the first request
/// for it and keeps following until the dashboard stops (so switching back to it shows what was printed meanwhile).
/// </summary>
public sealed class ConsoleLogs(ResourceServiceClient client, LiveUpdates live, ResourceServiceOptions options, ILogger<ConsoleLogs> logger) : IHostedService
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ConsoleLogTail> _tails = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>The tail of <paramref name="resourceName"/>, following from now on; null when standalone.</summary>
    public ConsoleLogTail? Follow(string resourceName)
    {
        if (client.Client is not { } grpc || _stopping.IsCancellationRequested)
        {
            return null;
        }
        lock (_lock)
        {
            if (!_tails.TryGetValue(resourceName, out var tail))
            {
                tail = new ConsoleLogTail(resourceName);
                _tails.Add(resourceName, tail);
                _ = tail.FollowAsync(grpc, live, options, logger, _stopping.Token);
            }
            return tail;
        }
    }

    Task IHostedService.StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task IHostedService.StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        return Task.CompletedTask;
    }
}
