using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Proto = Aspire.DashboardService.Proto.V1;

namespace Aspire.Hosting.Dashboard;

/// <summary>Turns a replica's <see cref="ResourceSnapshot"/> into the aspire.v1 <c>Resource</c> message, one per replica.</summary>
internal static class ResourceMapper
{
    /// <summary>The kinds of resource and the commands each offers.</summary>
    public static readonly string[] ResourceTypes = ["Project", "Executable", "Container"];

    public static string ResourceType(IResource resource) => resource switch
    {
        ProjectResource => "Project",
        ContainerResource => "Container",
        _ => "Executable",
    };

    public static Proto.Resource ToProto(ResourceEvent resourceEvent)
    {
        var (resource, index, snapshot) = (resourceEvent.Resource, resourceEvent.ReplicaIndex, resourceEvent.Snapshot);
        var message = new Proto.Resource
        {
            Name = resourceEvent.ReplicaName,
            DisplayName = resource.Name,
            Uid = resourceEvent.ReplicaName,
            ResourceType = ResourceType(resource),
            State = snapshot.State,
            StateStyle = StateStyle(snapshot),
            CreatedAt = Timestamp.FromDateTimeOffset(snapshot.CreationTime),
            // Aspire hides its dashboard from its own resource list.
            IsHidden = resource.Annotations.OfType<DashboardAnnotation>().Any(),
            SupportsDetailedTelemetry = resource is ProjectResource,
        };
        if (snapshot.StartTime is { } started)
        {
            message.StartedAt = Timestamp.FromDateTimeOffset(started);
        }
        if (snapshot.StopTime is { } stopped)
        {
            message.StoppedAt = Timestamp.FromDateTimeOffset(stopped);
        }
        message.Environment.AddRange(snapshot.EnvironmentVariables.OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => new Proto.EnvironmentVariable { Name = e.Key, Value = e.Value, IsFromSpec = true }));
        message.Urls.AddRange(resource.Annotations.OfType<EndpointAnnotation>().Select((endpoint, order) => new Proto.Url
        {
            EndpointName = endpoint.Name,
            FullUrl = endpoint.AllocatedEndpoints[index].Url,
            IsInactive = snapshot.State != KnownResourceStates.Running,
            DisplayProperties = new Proto.UrlDisplayProperties { SortOrder = order },
        }));
        message.Properties.AddRange(Properties(resource, index, snapshot));
        message.HealthReports.AddRange(HealthReports(resource, snapshot));
        message.Commands.AddRange(Commands(snapshot.State));
        message.Relationships.AddRange(resource.Annotations.OfType<ResourceRelationshipAnnotation>()
            .Select(r => new Proto.ResourceRelationship { ResourceName = r.Resource.Name, Type = r.Type }));
        message.Volumes.AddRange(resource.Annotations.OfType<ContainerMountAnnotation>()
            .Select(m => new Proto.Volume { Source = m.Source, Target = m.Target, MountType = "bind", IsReadOnly = m.IsReadOnly }));
        return message;
    }

    /// <summary>The commands, enabled where they make sense in <paramref name="state"/> (stop while running, start once ended).</summary>
    public static IEnumerable<Proto.ResourceCommand> Commands(string? state)
    {
        var running = state is KnownResourceStates.Running or KnownResourceStates.Starting;
        var ended = state is not null && KnownResourceStates.IsTerminal(state);
        yield return Command(ResourceCommandNames.Stop, "Stop", "Stop", running);
        yield return Command(ResourceCommandNames.Start, "Start", "Play", ended);
        yield return Command(ResourceCommandNames.Restart, "Restart", "ArrowCounterclockwise", running || ended);
    }

    private static Proto.ResourceCommand Command(string name, string displayName, string icon, bool enabled) => new()
    {
        Name = name,
        DisplayName = displayName,
        IconName = icon,
        IsHighlighted = name != ResourceCommandNames.Restart,
        State = enabled ? Proto.ResourceCommandState.Enabled : Proto.ResourceCommandState.Disabled,
    };

    /// <summary>How Aspire colours a state: errors red, work in progress neutral, healthy green, unhealthy amber.</summary>
    private static string StateStyle(ResourceSnapshot snapshot) => snapshot.State switch
    {
        KnownResourceStates.FailedToStart or KnownResourceStates.RuntimeUnavailable => "error",
        KnownResourceStates.Exited => snapshot.ExitCode is 0 or null ? "info" : "error",
        KnownResourceStates.Running => snapshot.HealthStatus == HealthStatus.Unhealthy ? "warning" : "success",
        _ => "info",
    };

    private static IEnumerable<Proto.ResourceProperty> Properties(IResource resource, int index, ResourceSnapshot snapshot)
    {
        yield return Property("resource.replicaIndex", "Replica index", Value.ForNumber(index));
        yield return Property("resource.replicaCount", "Replicas", Value.ForNumber(resource.GetReplicaCount()));
        yield return Property("resource.restartCount", "Restarts", Value.ForNumber(snapshot.RestartCount));
        if (snapshot.ExitCode is { } exitCode)
        {
            yield return Property("resource.exitCode", "Exit code", Value.ForNumber(exitCode));
        }
        if (snapshot.ProcessId is { } pid)
        {
            yield return Property("executable.pid", "Process id", Value.ForNumber(pid));
        }
        if (snapshot.Reason is { } reason)
        {
            yield return Property("resource.stateReason", "State reason", Value.ForString(reason));
        }
        switch (resource)
        {
            case ProjectResource project:
                yield return Property("project.path", "Project path", Value.ForString(project.ProjectPath));
                break;
            case ExecutableResource executable:
                yield return Property("executable.path", "Executable", Value.ForString(executable.Command));
                yield return Property("executable.workDir", "Working directory", Value.ForString(executable.WorkingDirectory));
                break;
            case ContainerResource container:
                yield return Property("container.image", "Image", Value.ForString(container.Annotations.OfType<ContainerImageAnnotation>().Last().Reference));
                break;
        }
    }

    private static Proto.ResourceProperty Property(string name, string displayName, Value value) =>
        new() { Name = name, DisplayName = displayName, Value = value };

    /// <summary>One report per health check; the orchestrator knows one status for all of them, so each carries it.</summary>
    private static IEnumerable<Proto.HealthReport> HealthReports(IResource resource, ResourceSnapshot snapshot)
    {
        foreach (var check in resource.Annotations.OfType<HealthCheckAnnotation>())
        {
            var report = new Proto.HealthReport
            {
                Key = check.Kind == HealthCheckKind.Http ? $"http {check.EndpointName}{check.Path}" : $"grpc.health.v1 {check.EndpointName}",
                Description = check.Kind == HealthCheckKind.Http
                    ? string.Create(CultureInfo.InvariantCulture, $"GET {check.Path} answers {check.StatusCode}")
                    : $"grpc.health.v1 Check of '{check.GrpcService}' answers SERVING",
            };
            if (snapshot.State == KnownResourceStates.Running && snapshot.HealthStatus is { } status)
            {
                report.Status = status == HealthStatus.Healthy ? Proto.HealthStatus.Healthy : Proto.HealthStatus.Unhealthy;
            }
            yield return report;
        }
    }
}
