using Microsoft.Extensions.Logging;

namespace Aspire.Hosting.Orchestration;

/// <summary>Whether a container engine answers, asked once per AppHost with <c>docker info</c> under a time limit.</summary>
internal sealed class ContainerRuntime(OrchestratorOptions options, ILogger logger)
{
    /// <summary>The answer: available, or why not (part of RuntimeUnavailable messages).</summary>
    public sealed record Status(bool IsAvailable, string? Docker, string Detail);

    public async Task<Status> GetStatusAsync(CancellationToken cancellationToken)
    {
        if (string.Equals(options.ContainerRuntime, "none", StringComparison.OrdinalIgnoreCase))
        {
            return new Status(false, null, "container engine disabled by AppHost:ContainerRuntime=none");
        }
        var docker = CommandResolver.Resolve("docker", Environment.CurrentDirectory);
        if (docker is null)
        {
            return new Status(false, null, "no docker CLI on PATH");
        }
        var result = await ProcessRunner.RunAsync(docker, ["info", "--format", "{{.ServerVersion}}"], options.ContainerRuntimeTimeout, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode == 0)
        {
            logger.LogInformation("Container engine answered docker info: server {Version}", result.StandardOutput.Trim());
            return new Status(true, docker, $"docker {result.StandardOutput.Trim()}");
        }
        var detail = result.TimedOut
            ? $"`docker info` did not answer within {options.ContainerRuntimeTimeout.TotalSeconds:0} s"
            : "no container engine answered `docker info`";
        logger.LogInformation("No container engine: {Detail}", detail);
        return new Status(false, docker, detail);
    }
}
