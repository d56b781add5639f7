using System.Security.Cryptography;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Dashboard;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aspire.Hosting.Orchestration;

/// <summary>
/// The part DCP plays in Aspire: at start, asks for a container engine, allocates every replica's ports, builds the
/// projects, then starts each resource once what it waits for is healthy; at stop, stops them dependents first.
/// </summary>
internal sealed class ApplicationOrchestrator(
    DistributedApplicationModel model,
    ResourceNotificationService notifications,
    ResourceLoggerService logs,
    IOptions<OrchestratorOptions> options,
    IHostEnvironment hostEnvironment,
    ResourceServiceHost resourceService,
    ILoggerFactory loggerFactory) : IHostedService
{
    private readonly OrchestratorOptions _options = options.Value;
    private readonly ILogger _logger = loggerFactory.CreateLogger("Aspire.Hosting.Orchestrator");
    private readonly CancellationTokenSource _stopping = new();
    private readonly HealthProbe _healthProbe = new();
    private readonly SemaphoreSlim _stopGate = new(1, 1);
    private readonly List<Task> _starts = [];
    private ProcessReaper? _reaper;
    private Dictionary<IResource, ResourceReplica[]> _replicas = [];
    private LaunchPlanner? _planner;
    private bool _stopped;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        var token = linked.Token;
        var containerRuntime = model.Resources.OfType<ContainerResource>().Any()
            ? await new ContainerRuntime(_options, _logger).GetStatusAsync(token).ConfigureAwait(false)
            : new ContainerRuntime.Status(false, null, "no container resources");
        AllocateEndpoints(containerRuntime.IsAvailable);

        _reaper = new ProcessReaper(_logger);
        _replicas = model.Resources.ToDictionary(r => r, r => Enumerable.Range(0, r.GetReplicaCount())
            .Select(i => new ResourceReplica(r, i, notifications, logs, _reaper, _healthProbe, loggerFactory.CreateLogger("Aspire.Hosting.Resources." + r.Name)))
            .ToArray());

        var dotnet = DotnetHost();
        var projectOutputs = await new ProjectBuilder(dotnet, _options, _logger)
            .ResolveAsync([.. model.Resources.OfType<ProjectResource>()], token).ConfigureAwait(false);
        var dashboard = model.Dashboard;
        _planner = new LaunchPlanner(projectOutputs, containerRuntime, dotnet, hostEnvironment, _options, OtlpExportTo(dashboard), resourceService.Url,
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3)));

        // The dashboard first, so the others' first spans and logs have somewhere to go.
        var dashboardReady = dashboard is null ? Task.CompletedTask : StartDashboardAsync(dashboard, _stopping.Token);
        _starts.Add(dashboardReady);
        foreach (var resource in model.Resources.Where(r => r != dashboard))
        {
            _starts.Add(StartWhenReadyAsync(resource, dashboardReady, _stopping.Token));
        }
    }

    /// <summary>The dashboard's OTLP/gRPC receiver with its API key; without a dashboard, <c>AppHost:OtlpEndpoint</c> if set.</summary>
    private OtlpExport? OtlpExportTo(IResource? dashboard) =>
        dashboard?.Annotations.OfType<DashboardAnnotation>().Single() is { } annotation
            ? new OtlpExport(dashboard.GetAllocatedEndpoint(DashboardAnnotation.OtlpGrpcEndpointName).Url, "grpc", $"x-otlp-api-key={annotation.OtlpApiKey}")
            : _options.OtlpEndpoint is { Length: > 0 } endpoint ? new OtlpExport(endpoint, _options.OtlpProtocol, null) : null;

    /// <summary>Starts the dashboard and waits (bounded) until its OTLP port accepts connections; never fails the application.</summary>
    private async Task StartDashboardAsync(IResource dashboard, CancellationToken cancellationToken)
    {
        var replica = ReplicasOf(dashboard)[0];
        try
        {
            await replica.StartAsync(Plan, cancellationToken).ConfigureAwait(false);
            if (replica.Snapshot.State != KnownResourceStates.Running)
            {
                _logger.LogWarning("The dashboard did not start ({State}: {Reason}); the resources run without it", replica.Snapshot.State, replica.Snapshot.Reason);
                return;
            }
            var otlp = dashboard.GetAllocatedEndpoint(DashboardAnnotation.OtlpGrpcEndpointName);
            var accepting = await TcpPort.WaitUntilAcceptingAsync(otlp.Host, otlp.Port, () => replica.Snapshot.State == KnownResourceStates.Running,
                _options.DashboardStartTimeout, cancellationToken).ConfigureAwait(false);
            if (!accepting)
            {
                _logger.LogWarning("The dashboard's OTLP endpoint {OtlpUrl} did not accept connections within {Timeout}; starting the other resources anyway",
                    otlp.Url, _options.DashboardStartTimeout);
            }
            if (replica.Snapshot.State == KnownResourceStates.Running)
            {
                _logger.LogInformation("Login to the dashboard at {DashboardLoginUrl}", DashboardEnvironment.LoginUrl(dashboard, dashboard.Annotations.OfType<DashboardAnnotation>().Single()));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The application is stopping.
        }
    }

    /// <summary>Stops every replica, dependents first; safe to call more than once.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopGate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_stopped)
            {
                return;
            }
            _stopped = true;
            await _stopping.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(_starts).ConfigureAwait(false);
            // The dashboard last, as it started first: it receives the others' final telemetry while they shut down.
            IResource[] dashboard = model.Dashboard is { } resource ? [resource] : [];
            foreach (var group in DependencyOrder.StopGroups([.. model.Resources.Except(dashboard)]).Append(dashboard))
            {
                await Task.WhenAll(group.SelectMany(ReplicasOf).Select(r => r.StopAsync(_options.StopTimeout))).ConfigureAwait(false);
            }
            _reaper?.Dispose();
            _healthProbe.Dispose();
            PortAllocator.Release(model.Resources.SelectMany(r => r.Annotations.OfType<EndpointAnnotation>()).SelectMany(e => e.AllocatedEndpoints).Select(a => a.Port));
            _logger.LogInformation("Every resource is stopped");
        }
        finally
        {
            _stopGate.Release();
        }
    }

    /// <summary>Starts the replica(s) now, without waiting for dependencies (they ran before, or the user asks).</summary>
    public Task StartResourceAsync(string resourceName, int? replicaIndex, CancellationToken cancellationToken) =>
        Task.WhenAll(Select(resourceName, replicaIndex).Select(r => r.StartAsync(Plan, cancellationToken)));

    public Task StopResourceAsync(string resourceName, int? replicaIndex) =>
        Task.WhenAll(Select(resourceName, replicaIndex).Select(r => r.StopAsync(_options.StopTimeout)));

    private async Task StartWhenReadyAsync(IResource resource, Task dashboardReady, CancellationToken cancellationToken)
    {
        var replicas = ReplicasOf(resource);
        try
        {
            await dashboardReady.WaitAsync(cancellationToken).ConfigureAwait(false);
            var waits = resource.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource).Distinct().ToArray();
            if (waits.Length > 0)
            {
                foreach (var replica in replicas)
                {
                    replica.MarkWaiting($"Waiting for {string.Join(", ", waits.Select(w => w.Name))} to be healthy");
                }
                foreach (var dependency in waits)
                {
                    if (await WaitForHealthyAsync(dependency, cancellationToken).ConfigureAwait(false) is { } failure)
                    {
                        _logger.LogWarning("{Resource} will not start: {Reason}", resource.Name, failure);
                        foreach (var replica in replicas)
                        {
                            replica.MarkFailed(KnownResourceStates.FailedToStart, failure);
                        }
                        return;
                    }
                }
            }
            await Task.WhenAll(replicas.Select(r => r.StartAsync(Plan, cancellationToken))).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The application is stopping before this resource started.
        }
    }

    /// <summary>Null once every replica of <paramref name="dependency"/> is healthy; the reason if one ends up unable to become so.</summary>
    private async Task<string?> WaitForHealthyAsync(IResource dependency, CancellationToken cancellationToken)
    {
        var states = new Dictionary<int, ResourceSnapshot>();
        await foreach (var resourceEvent in notifications.WatchAsync(cancellationToken).ConfigureAwait(false))
        {
            if (resourceEvent.Resource != dependency)
            {
                continue;
            }
            states[resourceEvent.ReplicaIndex] = resourceEvent.Snapshot;
            if (KnownResourceStates.IsTerminal(resourceEvent.Snapshot.State))
            {
                return $"Dependency '{resourceEvent.ReplicaName}' is {resourceEvent.Snapshot.Describe()}{(resourceEvent.Snapshot.Reason is { } reason ? ": " + reason : "")}";
            }
            if (states.Count == dependency.GetReplicaCount() && states.Values.All(s => s.IsHealthy))
            {
                return null;
            }
        }
        throw new OperationCanceledException(cancellationToken);
    }

    private LaunchPlan Plan(ResourceReplica replica) =>
        (_planner ?? throw new InvalidOperationException("The application has not started.")).Plan(replica.Resource, replica.Index);

    private ResourceReplica[] ReplicasOf(IResource resource) => _replicas.GetValueOrDefault(resource) ?? [];

    private IEnumerable<ResourceReplica> Select(string resourceName, int? replicaIndex)
    {
        var replicas = ReplicasOf(model.GetResource(resourceName));
        if (replicaIndex is not { } index)
        {
            return replicas;
        }
        return index >= 0 && index < replicas.Length
            ? [replicas[index]]
            : throw new DistributedApplicationException($"Resource '{resourceName}' has no replica {index} (it has {replicas.Length}).");
    }

    private void AllocateEndpoints(bool containersInEngine)
    {
        foreach (var resource in model.Resources)
        {
            var replicas = resource.GetReplicaCount();
            foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>())
            {
                if (endpoint.Port is not null && replicas > 1)
                {
                    throw new DistributedApplicationException($"Endpoint '{endpoint.Name}' of '{resource.Name}' has a fixed port but {replicas} replicas; replicas need allocated ports.");
                }
                // Inside a container the process listens on the image's port; anywhere else on the allocated one.
                var inContainer = containersInEngine && resource is ContainerResource;
                endpoint.SetAllocatedEndpoints(Enumerable.Range(0, replicas).Select(_ =>
                {
                    var port = endpoint.Port ?? PortAllocator.Allocate();
                    return new AllocatedEndpoint(endpoint, "127.0.0.1", port, inContainer ? endpoint.TargetPort ?? port : port);
                }));
            }
        }
    }

    /// <summary>The dotnet host this AppHost runs on (so children use the same SDK/runtime), else the one on PATH.</summary>
    internal static string DotnetHost()
    {
        var current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet")
        {
            return current;
        }
        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath)
            ? hostPath
            : CommandResolver.Resolve("dotnet", Environment.CurrentDirectory) ?? "dotnet";
    }
}
