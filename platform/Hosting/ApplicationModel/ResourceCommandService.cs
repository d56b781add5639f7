using Aspire.Hosting.Orchestration;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>Stop, start and restart of a resource (every replica) or one replica, as the dashboard's commands and tests use them.</summary>
public sealed class ResourceCommandService
{
    private readonly ApplicationOrchestrator _orchestrator;

    internal ResourceCommandService(ApplicationOrchestrator orchestrator) => _orchestrator = orchestrator;

    /// <summary>Stops the resource's replicas (or replica <paramref name="replicaIndex"/>): SIGTERM, then SIGKILL after the stop timeout.</summary>
    public Task StopResourceAsync(string resourceName, int? replicaIndex = null) => _orchestrator.StopResourceAsync(resourceName, replicaIndex);

    /// <summary>Starts the resource's stopped replicas (or replica <paramref name="replicaIndex"/>) on the same ports, without waiting for dependencies.</summary>
    public Task StartResourceAsync(string resourceName, int? replicaIndex = null, CancellationToken cancellationToken = default) =>
        _orchestrator.StartResourceAsync(resourceName, replicaIndex, cancellationToken);

    /// <summary>Stops then starts the resource's replicas (or replica <paramref name="replicaIndex"/>).</summary>
    public async Task RestartResourceAsync(string resourceName, int? replicaIndex = null, CancellationToken cancellationToken = default)
    {
        await StopResourceAsync(resourceName, replicaIndex).ConfigureAwait(false);
        await StartResourceAsync(resourceName, replicaIndex, cancellationToken).ConfigureAwait(false);
    }
}
