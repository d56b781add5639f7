using Aspire.DashboardService.Proto.V1;
using Aspire.Hosting.ApplicationModel;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting.Dashboard;

/// <summary>
/// aspire.v1.DashboardService over the orchestrator's services: replicas and their changes from the
/// <see cref="ResourceNotificationService"/>, console lines from the <see cref="ResourceLoggerService"/>, commands through
/// the <see cref="ResourceCommandService"/>. Resource names are replica names (<c>prober-0</c>).
/// </summary>
internal sealed class ResourceDashboardService(
    DistributedApplicationModel model,
    ResourceNotificationService notifications,
    ResourceLoggerService logs,
    ResourceCommandService commands,
    IHostEnvironment hostEnvironment,
    IHostApplicationLifetime lifetime,
    ILogger<ResourceDashboardService> logger) : Aspire.DashboardService.Proto.V1.DashboardService.DashboardServiceBase
{
    /// <summary>Replica name → its resource and index, fixed with the model.</summary>
    private readonly Dictionary<string, (IResource Resource, int Index)> _replicas = model.Resources
        .SelectMany(r => Enumerable.Range(0, r.GetReplicaCount()).Select(i => (Name: r.GetReplicaName(i), Replica: (r, i))))
        .ToDictionary(x => x.Name, x => x.Replica, StringComparer.OrdinalIgnoreCase);

    private readonly Dictionary<IResource, int> _order = model.Resources.Select((r, i) => (r, i)).ToDictionary(x => x.r, x => x.i);

    public override Task<ApplicationInformationResponse> GetApplicationInformation(ApplicationInformationRequest request, ServerCallContext context)
    {
        // "AspireProber.AppHost" → "AspireProber", as Aspire titles its dashboard.
        var name = hostEnvironment.ApplicationName;
        return Task.FromResult(new ApplicationInformationResponse
        {
            ApplicationName = name.EndsWith(".AppHost", StringComparison.OrdinalIgnoreCase) ? name[..^".AppHost".Length] : name,
        });
    }

    public override async Task WatchResources(WatchResourcesRequest request, IServerStreamWriter<WatchResourcesUpdate> responseStream, ServerCallContext context)
    {
        using var stopping = StreamCancellation(context);
        var cancellationToken = stopping.Token;
        using var subscription = notifications.Subscribe();
        var initial = new InitialResourceData();
        initial.Resources.AddRange(subscription.Current.OrderBy(Order).Select(ResourceMapper.ToProto));
        initial.ResourceTypes.AddRange(ResourceMapper.ResourceTypes.Select(type =>
        {
            var resourceType = new ResourceType { UniqueName = type, DisplayName = type };
            resourceType.Commands.AddRange(ResourceMapper.Commands(state: null));
            return resourceType;
        }));
        await responseStream.WriteAsync(new WatchResourcesUpdate { InitialData = initial }, cancellationToken).ConfigureAwait(false);
        try
        {
            while (await subscription.Changes.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                // Whatever queued up while the last write waited goes in one message, in order.
                var changes = new WatchResourcesChanges();
                while (subscription.Changes.TryRead(out var resourceEvent))
                {
                    changes.Value.Add(new WatchResourcesChange { Upsert = ResourceMapper.ToProto(resourceEvent) });
                }
                await responseStream.WriteAsync(new WatchResourcesUpdate { Changes = changes }, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The dashboard went away, or the AppHost is stopping.
        }
    }

    public override async Task WatchResourceConsoleLogs(WatchResourceConsoleLogsRequest request, IServerStreamWriter<WatchResourceConsoleLogsUpdate> responseStream, ServerCallContext context)
    {
        var (resource, index) = Find(request.ResourceName);
        var replicaName = resource.GetReplicaName(index);
        if (request.SuppressFollow)
        {
            var backlog = logs.GetBacklog(replicaName);
            if (backlog.Count > 0)
            {
                await responseStream.WriteAsync(ToUpdate(backlog), context.CancellationToken).ConfigureAwait(false);
            }
            return;
        }
        using var stopping = StreamCancellation(context);
        try
        {
            await foreach (var batch in logs.WatchAsync(replicaName, stopping.Token).ConfigureAwait(false))
            {
                await responseStream.WriteAsync(ToUpdate(batch), stopping.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The dashboard closed the console view, or the AppHost is stopping.
        }
    }

    public override async Task<ResourceCommandResponse> ExecuteResourceCommand(ResourceCommandRequest request, ServerCallContext context)
    {
        var (resource, index) = Find(request.ResourceName);
        Func<Task> run = request.CommandName switch
        {
            ResourceCommandNames.Stop => () => commands.StopResourceAsync(resource.Name, index),
            ResourceCommandNames.Start => () => commands.StartResourceAsync(resource.Name, index, context.CancellationToken),
            ResourceCommandNames.Restart => () => commands.RestartResourceAsync(resource.Name, index, context.CancellationToken),
            _ => throw new RpcException(new Status(StatusCode.NotFound,
                $"Unknown command '{request.CommandName}'; the commands are '{ResourceCommandNames.Stop}', '{ResourceCommandNames.Start}' and '{ResourceCommandNames.Restart}'.")),
        };
        logger.LogInformation("Dashboard command {Command} on {Replica}", request.CommandName, request.ResourceName);
        try
        {
            await run().ConfigureAwait(false);
            return new ResourceCommandResponse { Kind = ResourceCommandResponseKind.Succeeded };
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            return new ResourceCommandResponse { Kind = ResourceCommandResponseKind.Cancelled };
        }
        catch (DistributedApplicationException ex)
        {
            logger.LogWarning(ex, "Dashboard command {Command} on {Replica} failed", request.CommandName, request.ResourceName);
            return new ResourceCommandResponse { Kind = ResourceCommandResponseKind.Failed, ErrorMessage = ex.Message };
        }
    }

    /// <summary>Ends a stream when its caller goes away or the AppHost stops: Kestrel's graceful stop would otherwise wait for the endless streams.</summary>
    private CancellationTokenSource StreamCancellation(ServerCallContext context) =>
        CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);

    private (IResource Resource, int Index) Find(string replicaName) =>
        _replicas.TryGetValue(replicaName, out var replica)
            ? replica
            : throw new RpcException(new Status(StatusCode.NotFound,
                $"No resource is named '{replicaName}'; names are replica names such as '{_replicas.Keys.FirstOrDefault() ?? "web-0"}' (known: {string.Join(", ", _replicas.Keys)})."));

    /// <summary>Model order, then replica index: the order the AppHost declared its resources in.</summary>
    private (int, int) Order(ResourceEvent resourceEvent) => (_order[resourceEvent.Resource], resourceEvent.ReplicaIndex);

    private static WatchResourceConsoleLogsUpdate ToUpdate(IEnumerable<LogLine> lines)
    {
        var update = new WatchResourceConsoleLogsUpdate();
        update.LogLines.AddRange(lines.Select(l => new ConsoleLogLine { Text = l.Content, IsStdErr = l.IsErrorMessage, LineNumber = l.LineNumber }));
        return update;
    }
}
