using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting.Orchestration;

/// <summary>
/// The lifecycle of one replica: start (from a <see cref="LaunchPlan"/>), health monitoring, exit, stop. Start and
/// stop are serialized; every transition is published to the <see cref="ResourceNotificationService"/>.
/// </summary>
internal sealed class ResourceReplica
{
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly Lock _snapshotGate = new();
    private readonly ResourceNotificationService _notifications;
    private readonly ResourceLoggerService _logs;
    private readonly ProcessReaper _reaper;
    private readonly HealthProbe _healthProbe;
    private readonly ILogger _logger;
    private ResourceSnapshot _snapshot;
    private ChildProcess? _process;
    private LaunchPlan? _plan;
    private CancellationTokenSource? _health;

    public ResourceReplica(IResource resource, int index, ResourceNotificationService notifications, ResourceLoggerService logs, ProcessReaper reaper, HealthProbe healthProbe, ILogger logger)
    {
        Resource = resource;
        Index = index;
        Name = resource.GetReplicaName(index);
        _notifications = notifications;
        _logs = logs;
        _reaper = reaper;
        _healthProbe = healthProbe;
        _logger = logger;
        _snapshot = new ResourceSnapshot
        {
            State = KnownResourceStates.NotStarted,
            CreationTime = DateTimeOffset.UtcNow,
            Urls = [.. resource.Annotations.OfType<EndpointAnnotation>().Select(e => e.AllocatedEndpoints[index].Url)],
        };
        _notifications.Publish(resource, index, _snapshot);
    }

    public IResource Resource { get; }

    public int Index { get; }

    public string Name { get; }

    public ResourceSnapshot Snapshot
    {
        get
        {
            lock (_snapshotGate)
            {
                return _snapshot;
            }
        }
    }

    /// <summary>Marks the replica as waiting for its dependencies (unless something already started it).</summary>
    public void MarkWaiting(string reason) =>
        Update(s => s.State == KnownResourceStates.NotStarted, s => s with { State = KnownResourceStates.Waiting, Reason = reason });

    /// <summary>Marks a replica that will not start because a dependency failed.</summary>
    public void MarkFailed(string state, string reason) =>
        Update(s => s.State is KnownResourceStates.NotStarted or KnownResourceStates.Waiting, s => s with { State = state, Reason = reason });

    /// <summary>Launches the process unless it runs already.</summary>
    public async Task StartAsync(Func<ResourceReplica, LaunchPlan> plan, CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_process is not null)
            {
                return;
            }
            Update(_ => true, s => s with
            {
                State = KnownResourceStates.Starting,
                Reason = null,
                ExitCode = null,
                HealthStatus = null,
                ProcessId = null,
                StopTime = null,
                RestartCount = s.StartTime is null ? s.RestartCount : s.RestartCount + 1,
            });
            _plan = plan(this);
            if (_plan.Failure is { } failure)
            {
                _logger.LogWarning("{Replica} cannot start ({State}): {Reason}", Name, failure.State, failure.Reason);
                Update(_ => true, s => s with { State = failure.State, Reason = failure.Reason });
                return;
            }
            ChildProcess process;
            try
            {
                process = ChildProcess.Start(_plan, _reaper, (line, isError) => _logs.Write(Name, line, isError));
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException)
            {
                _logger.LogWarning(ex, "{Replica} failed to start {Program}", Name, _plan.FileName);
                Update(_ => true, s => s with { State = KnownResourceStates.FailedToStart, Reason = ex.Message });
                return;
            }
            if (_plan.ContainerName is { } container)
            {
                _reaper.RegisterContainer(container);
            }
            _process = process;
            var checks = Resource.Annotations.OfType<HealthCheckAnnotation>().ToArray();
            _logger.LogInformation("{Replica} started: pid {Pid}, {Program} {Arguments}", Name, process.Id, _plan.FileName, string.Join(' ', _plan.Args));
            Update(_ => true, s => s with
            {
                State = KnownResourceStates.Running,
                ProcessId = process.Id,
                EnvironmentVariables = _plan.Environment.Where(e => e.Value is not null).ToDictionary(e => e.Key, e => e.Value!),
                StartTime = process.StartTime,
                // Without health checks, running is healthy (as in Aspire).
                HealthStatus = checks.Length == 0 ? HealthStatus.Healthy : null,
            });
            if (checks.Length > 0)
            {
                _health = new CancellationTokenSource();
                _ = MonitorHealthAsync(checks, process.Id, _health.Token);
            }
            _ = ReportExitAsync(process);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Stops the process gracefully (SIGTERM, then SIGKILL after <paramref name="gracePeriod"/>); a replica not running is left as it is.</summary>
    public async Task StopAsync(TimeSpan gracePeriod)
    {
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            var process = _process;
            if (process is null)
            {
                return;
            }
            _process = null;
            StopHealthMonitor();
            Update(_ => true, s => s with { State = KnownResourceStates.Stopping });
            _logger.LogInformation("Stopping {Replica} (pid {Pid})", Name, process.Id);
            var exitCode = await process.StopAsync(gracePeriod).ConfigureAwait(false);
            await RemoveContainerAsync().ConfigureAwait(false);
            _logger.LogInformation("{Replica} stopped with exit code {ExitCode}", Name, exitCode);
            Update(_ => true, s => s with { State = KnownResourceStates.Exited, ExitCode = exitCode, HealthStatus = null, ProcessId = null, StopTime = DateTimeOffset.UtcNow });
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private async Task ReportExitAsync(ChildProcess process)
    {
        var exitCode = await process.Exited.ConfigureAwait(false);
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_process != process)
            {
                // Stopped on purpose: StopAsync reports it.
                return;
            }
            _process = null;
            StopHealthMonitor();
            await RemoveContainerAsync().ConfigureAwait(false);
            _logger.LogWarning("{Replica} exited by itself with exit code {ExitCode}", Name, exitCode);
            Update(_ => true, s => s with { State = KnownResourceStates.Exited, ExitCode = exitCode, HealthStatus = null, ProcessId = null, StopTime = DateTimeOffset.UtcNow });
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private async Task MonitorHealthAsync(HealthCheckAnnotation[] checks, int pid, CancellationToken cancellationToken)
    {
        // Polled fast until the first success (50 ms, growing to at most 200 ms: a loopback health call costs next to
        // nothing, and each step of back-off is time WaitFor dependents wait for nothing), then once a second.
        var delay = TimeSpan.FromMilliseconds(50);
        HealthStatus? last = null;
        try
        {
            while (true)
            {
                var healthy = true;
                foreach (var check in checks)
                {
                    healthy &= await _healthProbe.CheckAsync(check, Resource.GetAllocatedEndpoint(check.EndpointName, Index), cancellationToken).ConfigureAwait(false);
                }
                var status = healthy ? HealthStatus.Healthy : HealthStatus.Unhealthy;
                if (status != last)
                {
                    last = status;
                    Update(s => s.State == KnownResourceStates.Running && s.ProcessId == pid, s => s with { HealthStatus = status });
                }
                delay = healthy ? TimeSpan.FromSeconds(1) : TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, 200));
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The process stopped.
        }
    }

    private void StopHealthMonitor()
    {
        _health?.Cancel();
        _health?.Dispose();
        _health = null;
    }

    private async Task RemoveContainerAsync()
    {
        if (_plan?.ContainerName is not { } container)
        {
            return;
        }
        // `docker run --rm` removes it on a clean exit; after a SIGKILL of the CLI the container would keep running.
        await ProcessRunner.RunAsync(_plan.FileName, ["rm", "-f", container], TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(false);
        _reaper.UnregisterContainer(container);
    }

    private void Update(Func<ResourceSnapshot, bool> condition, Func<ResourceSnapshot, ResourceSnapshot> change)
    {
        lock (_snapshotGate)
        {
            if (!condition(_snapshot))
            {
                return;
            }
            _snapshot = change(_snapshot);
            _notifications.Publish(Resource, Index, _snapshot);
        }
    }
}
