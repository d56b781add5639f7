using Aspire.DashboardService.Proto.V1;
using AspireProber.Dashboard.Components.Live;
using Grpc.Core;

namespace AspireProber.Dashboard.ResourceService;

/// <summary>
/// One resource's console output as the dashboard follows it: the last <see cref="Capacity"/> lines, kept current by
/// WatchResourceConsoleLogs. When the stream breaks it is opened again after a backoff; the service then resends the
/// lines it kept, and line numbers tell which are new.
/// </summary>
public sealed class ConsoleLogTail
{
    /// <summary>Lines kept per resource; older ones are dropped first.</summary>
    public const int Capacity = 10_000;

    private readonly Lock _lock = new();
    private readonly Queue<ConsoleLogLineView> _lines = new();
    private int _lastNumber;

    internal ConsoleLogTail(string resourceName) => ResourceName = resourceName;

    /// <summary>The followed resource (replica) name.</summary>
    public string ResourceName { get; }

    /// <summary>Why following failed last (e.g. an unknown resource), or null.</summary>
    public string? Error { get; private set; }

    /// <summary>The kept lines containing <paramref name="filter"/> (case-insensitive; all when empty), oldest first, at most <paramref name="limit"/> of the newest.</summary>
    public IReadOnlyList<ConsoleLogLineView> GetLines(string? filter, int limit)
    {
        lock (_lock)
        {
            var matching = string.IsNullOrEmpty(filter) ? _lines : _lines.Where(l => l.Text.Contains(filter, StringComparison.OrdinalIgnoreCase));
            var list = matching.ToList();
            return list.Count > limit ? list[^limit..] : list;
        }
    }

    internal async Task FollowAsync(DashboardService.DashboardServiceClient client, LiveUpdates live, ResourceServiceOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var topic = LiveUpdates.ConsoleTopic(ResourceName);
        var backoff = new Backoff(options.InitialReconnectDelay, options.MaxReconnectDelay);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var call = client.WatchResourceConsoleLogs(new WatchResourceConsoleLogsRequest { ResourceName = ResourceName }, cancellationToken: cancellationToken);
                await foreach (var update in call.ResponseStream.ReadAllAsync(cancellationToken))
                {
                    Append(update.LogLines);
                    Error = null;
                    backoff.Reset();
                    live.Publish(topic);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is RpcException or HttpRequestException or IOException)
            {
                Error = e is RpcException { StatusCode: StatusCode.NotFound } ? $"The resource service knows no resource named '{ResourceName}'." : e.Message;
                live.Publish(topic);
                logger.LogWarning("Following the console of {Resource} failed ({Error}); retrying", ResourceName, e.Message);
            }
            try
            {
                await Task.Delay(backoff.Next(), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Append(IEnumerable<ConsoleLogLine> lines)
    {
        lock (_lock)
        {
            foreach (var line in lines)
            {
                // After a reconnect the service resends what it kept: skip what is already here.
                if (line.LineNumber != 0 && line.LineNumber <= _lastNumber)
                {
                    continue;
                }
                _lastNumber = line.LineNumber != 0 ? line.LineNumber : _lastNumber + 1;
                _lines.Enqueue(new ConsoleLogLineView(_lastNumber, line.Text, line.IsStdErr));
                if (_lines.Count > Capacity)
                {
                    _lines.Dequeue();
                }
            }
        }
    }
}
