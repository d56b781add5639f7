using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Dashboard;
using Microsoft.Extensions.Hosting;

namespace Aspire.Hosting.Orchestration;

/// <summary>Turns a resource replica into a <see cref="LaunchPlan"/>: which program, with which args and env, or why it cannot start.</summary>
internal sealed class LaunchPlanner(
    IReadOnlyDictionary<string, ProjectBuilder.Output> projectOutputs,
    ContainerRuntime.Status containerRuntime,
    string dotnet,
    IHostEnvironment hostEnvironment,
    OrchestratorOptions options,
    OtlpExport? otlp,
    string? resourceServiceUrl,
    string appInstanceId)
{
    public LaunchPlan Plan(IResource resource, int replicaIndex)
    {
        try
        {
            return resource switch
            {
                ProjectResource project => PlanProject(project, replicaIndex),
                ExecutableResource executable => PlanExecutable(executable, replicaIndex),
                ContainerResource container => PlanContainer(container, replicaIndex),
                _ => LaunchPlan.Fail(KnownResourceStates.FailedToStart, $"The orchestrator cannot run resources of type {resource.GetType().Name}."),
            };
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A WithEnvironment/WithArgs callback threw: that is this resource's failure, not the AppHost's.
            return LaunchPlan.Fail(KnownResourceStates.FailedToStart, $"Configuring '{resource.GetReplicaName(replicaIndex)}' failed: {ex.Message}");
        }
    }

    private LaunchPlan PlanProject(ProjectResource project, int replicaIndex)
    {
        var output = projectOutputs[project.ProjectPath];
        if (output.TargetPath is null)
        {
            return LaunchPlan.Fail(KnownResourceStates.FailedToStart, output.Error!);
        }
        var env = new Dictionary<string, string?>();
        ReplicaEnvironment.AddProjectDefaults(env, project, replicaIndex, hostEnvironment, otlp);
        ReplicaEnvironment.AddEndpointPorts(env, project, replicaIndex);
        ReplicaEnvironment.AddCallbacks(env, project, replicaIndex);
        // The project directory, as `dotnet run` uses: the app finds its appsettings*.json there.
        return new LaunchPlan(dotnet, [output.TargetPath, .. ReplicaEnvironment.Args(project, replicaIndex)], env, Path.GetDirectoryName(project.ProjectPath)!);
    }

    private LaunchPlan PlanExecutable(ExecutableResource executable, int replicaIndex)
    {
        var path = CommandResolver.Resolve(executable.Command, executable.WorkingDirectory);
        if (path is null)
        {
            return LaunchPlan.Fail(KnownResourceStates.FailedToStart, $"Executable '{executable.Command}' was not found (as a path from '{executable.WorkingDirectory}', or on PATH).");
        }
        if (!Directory.Exists(executable.WorkingDirectory))
        {
            return LaunchPlan.Fail(KnownResourceStates.FailedToStart, $"Working directory '{executable.WorkingDirectory}' does not exist.");
        }
        var env = new Dictionary<string, string?>();
        if (executable.Annotations.OfType<DashboardAnnotation>().FirstOrDefault() is { } dashboard)
        {
            DashboardEnvironment.Add(env, executable, dashboard, resourceServiceUrl);
        }
        ReplicaEnvironment.AddEndpointPorts(env, executable, replicaIndex);
        ReplicaEnvironment.AddCallbacks(env, executable, replicaIndex);
        return new LaunchPlan(path, ReplicaEnvironment.Args(executable, replicaIndex), env, executable.WorkingDirectory);
    }

    private LaunchPlan PlanContainer(ContainerResource container, int replicaIndex)
    {
        var env = new Dictionary<string, string?>();
        ReplicaEnvironment.AddEndpointPorts(env, container, replicaIndex);
        ReplicaEnvironment.AddCallbacks(env, container, replicaIndex);
        if (containerRuntime.IsAvailable)
        {
            return PlanDockerRun(container, replicaIndex, env);
        }
        var fallback = container.Annotations.OfType<ExecutableFallbackAnnotation>().LastOrDefault();
        var image = container.Annotations.OfType<ContainerImageAnnotation>().Last().Reference;
        var detail = char.ToUpperInvariant(containerRuntime.Detail[0]) + containerRuntime.Detail[1..];
        if (fallback is null)
        {
            return LaunchPlan.Fail(KnownResourceStates.RuntimeUnavailable, $"{detail}; install Docker (and start its daemon) to run {image}.");
        }
        var path = CommandResolver.Resolve(fallback.Command, options.Directory);
        if (path is null)
        {
            var hint = fallback.InstallHint is { } h ? $"`{h}`" : $"install '{fallback.Command}'";
            return LaunchPlan.Fail(KnownResourceStates.RuntimeUnavailable, $"{detail} and the executable fallback '{fallback.Command}' is not on PATH; install Docker, or {hint} for the fallback.");
        }
        var args = new List<string>();
        fallback.Args(new CommandLineArgsCallbackContext(container, replicaIndex, args));
        return new LaunchPlan(path, args, env, options.Directory);
    }

    private LaunchPlan PlanDockerRun(ContainerResource container, int replicaIndex, Dictionary<string, string?> env)
    {
        var name = $"{container.GetReplicaName(replicaIndex)}-{appInstanceId}";
        List<string> args = ["run", "--rm", "--name", name];
        foreach (var endpoint in container.Annotations.OfType<EndpointAnnotation>())
        {
            var allocated = endpoint.AllocatedEndpoints[replicaIndex];
            args.AddRange(["-p", string.Create(CultureInfo.InvariantCulture, $"{allocated.Host}:{allocated.Port}:{allocated.TargetPort}")]);
        }
        foreach (var mount in container.Annotations.OfType<ContainerMountAnnotation>())
        {
            args.AddRange(["-v", $"{mount.Source}:{mount.Target}{(mount.IsReadOnly ? ":ro" : "")}"]);
        }
        // `-e NAME` without a value: docker copies it from its own environment, so values stay off the command line.
        foreach (var variable in env.Where(e => e.Value is not null))
        {
            args.AddRange(["-e", variable.Key]);
        }
        args.Add(container.Annotations.OfType<ContainerImageAnnotation>().Last().Reference);
        args.AddRange(ReplicaEnvironment.Args(container, replicaIndex));
        return new LaunchPlan(containerRuntime.Docker!, args, env, options.Directory) { ContainerName = name };
    }
}
