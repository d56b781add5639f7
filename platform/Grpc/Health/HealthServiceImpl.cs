using System.Threading.Channels;
using Grpc.Core;
using Grpc.Health.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Grpc.HealthCheck;

/// <summary>
/// grpc.health.v1.Health over statuses the application sets per service name ("" is the server as a whole).
/// Watchers get the current status, then every change; each holds at most one pending update (the latest),
/// so a slow watcher costs no memory.
/// </summary>
public sealed class HealthServiceImpl : Health.V1.Health.HealthBase
{
    private readonly object _lock = new();
    private readonly Dictionary<string, ServingStatus> _statuses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Channel<HealthCheckResponse>>> _watchers = new(StringComparer.Ordinal);
    private bool _shutDown;

    /// <summary>Sets the status of a service and tells its watchers.</summary>
    public void SetStatus(string service, ServingStatus status)
    {
        lock (_lock)
        {
            if (_shutDown || (_statuses.TryGetValue(service, out var current) && current == status))
            {
                return;
            }
            _statuses[service] = status;
            Notify(service, status);
        }
    }

    /// <summary>Forgets a service: Check answers NOT_FOUND, watchers get SERVICE_UNKNOWN.</summary>
    public void ClearStatus(string service)
    {
        lock (_lock)
        {
            if (_statuses.Remove(service))
            {
                Notify(service, ServingStatus.ServiceUnknown);
            }
        }
    }

    /// <summary>
    /// For server shutdown: every service becomes NOT_SERVING, watchers are told and their streams end,
    /// so clients move on before the connection goes.
    /// </summary>
    public void Shutdown()
    {
        lock (_lock)
        {
            _shutDown = true;
            foreach (var service in _statuses.Keys.ToArray())
            {
                _statuses[service] = ServingStatus.NotServing;
                Notify(service, ServingStatus.NotServing);
            }
            foreach (var channel in _watchers.Values.SelectMany(w => w))
            {
                channel.Writer.TryComplete();
            }
        }
    }

    /// <inheritdoc />
    public override Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context)
    {
        lock (_lock)
        {
            return _statuses.TryGetValue(request.Service, out var status)
                ? Task.FromResult(new HealthCheckResponse { Status = status })
                : throw new RpcException(new Status(StatusCode.NotFound, $"Service '{request.Service}' is not known to this server's health checks."));
        }
    }

    /// <inheritdoc />
    public override async Task Watch(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responseStream, ServerCallContext context)
    {
        var updates = Channel.CreateBounded<HealthCheckResponse>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_lock)
        {
            updates.Writer.TryWrite(new HealthCheckResponse
            {
                Status = _statuses.TryGetValue(request.Service, out var status) ? status : ServingStatus.ServiceUnknown,
            });
            if (_shutDown)
            {
                updates.Writer.TryComplete();
            }
            else
            {
                Watchers(request.Service).Add(updates);
            }
        }
        try
        {
            await foreach (var update in updates.Reader.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
            {
                await responseStream.WriteAsync(update).ConfigureAwait(false);
            }
        }
        finally
        {
            lock (_lock)
            {
                Watchers(request.Service).Remove(updates);
            }
        }
    }

    private List<Channel<HealthCheckResponse>> Watchers(string service)
    {
        if (!_watchers.TryGetValue(service, out var list))
        {
            _watchers[service] = list = new List<Channel<HealthCheckResponse>>();
        }
        return list;
    }

    private void Notify(string service, ServingStatus status)
    {
        if (_watchers.TryGetValue(service, out var list))
        {
            foreach (var channel in list)
            {
                channel.Writer.TryWrite(new HealthCheckResponse { Status = status });
            }
        }
    }
}
