using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

/// <summary>What runs Prometheus in the local run (the <c>Prometheus:Runtime</c> setting).</summary>
public enum PrometheusRuntime
{
    /// <summary>The executable when it is installed, else the container when a container engine answers, else the executable (which then shows why it cannot start).</summary>
    Auto,

    /// <summary>Debian's <c>prometheus</c> program (or the one <c>Prometheus:Executable</c> names).</summary>
    Executable,

    /// <summary>The prom/prometheus image under the container engine Aspire uses.</summary>
    Container,
}

/// <summary>Chooses the <see cref="PrometheusRuntime"/> of a run from the configuration and what this machine has.</summary>
public static class PrometheusRuntimes
{
    /// <summary>The setting that chooses the runtime: auto (the default), executable or container.</summary>
    public const string Setting = "Prometheus:Runtime";

    /// <summary>The setting that names the host containers reach the host's services at (<see cref="ContainerHostName"/>).</summary>
    public const string ContainerHostSetting = "Prometheus:ContainerHost";

    /// <summary>How long <see cref="ContainerEngineAnswers"/> waits for the engine's <c>info</c>.</summary>
    public static readonly TimeSpan EngineTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The runtime <paramref name="configuration"/> asks for; for auto, the executable when it is found and otherwise
    /// the container if the container engine answers. Only then is the engine asked: a machine with Debian's
    /// prometheus (test.sh installs it) pays nothing for the check.
    /// </summary>
    public static PrometheusRuntime Choose(IConfiguration configuration, string executable) =>
        Parse(configuration[Setting]) switch
        {
            PrometheusRuntime.Auto when ExecutableExists(executable) => PrometheusRuntime.Executable,
            PrometheusRuntime.Auto => ContainerEngineAnswers(ContainerCli(configuration), EngineTimeout) ? PrometheusRuntime.Container : PrometheusRuntime.Executable,
            var chosen => chosen,
        };

    /// <summary>The value of <see cref="Setting"/>; a value that is none of the three is an error that lists them.</summary>
    public static PrometheusRuntime Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => PrometheusRuntime.Auto,
        "executable" => PrometheusRuntime.Executable,
        "container" => PrometheusRuntime.Container,
        _ => throw new ArgumentException($"{Setting} is '{value}': use auto, executable or container.", nameof(value)),
    };

    /// <summary>
    /// The container CLI Aspire itself uses: <c>ASPIRE_CONTAINER_RUNTIME</c> (or the older
    /// <c>DOTNET_ASPIRE_CONTAINER_RUNTIME</c>), docker by default.
    /// </summary>
    public static string ContainerCli(IConfiguration configuration) =>
        configuration["ASPIRE_CONTAINER_RUNTIME"] ?? configuration["DOTNET_ASPIRE_CONTAINER_RUNTIME"] ?? "docker";

    /// <summary>
    /// The name a container reaches the host by: <see cref="ContainerHostSetting"/>, else what Aspire's DCP uses for
    /// the engine, podman's host.containers.internal or Docker's host.docker.internal. On Docker Desktop it reaches
    /// the host's loopback, where the services listen; on Linux's Docker Engine it is the bridge gateway, which they
    /// do not listen on.
    /// </summary>
    public static string ContainerHostName(IConfiguration configuration) =>
        configuration[ContainerHostSetting]
        ?? (Path.GetFileNameWithoutExtension(ContainerCli(configuration)) == "podman" ? "host.containers.internal" : "host.docker.internal");

    /// <summary>
    /// Whether <c>{cli} info</c> succeeds within <paramref name="timeout"/>: docker's and podman's CLI exit non-zero
    /// when their engine does not answer (docker's CLI is often installed without a running daemon, as here).
    /// </summary>
    public static bool ContainerEngineAnswers(string cli, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(cli, "info") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        try
        {
            using var info = Process.Start(start)!;
            // Read to the end so a chatty `info` never blocks on a full pipe; the output itself is not needed.
            _ = info.StandardOutput.ReadToEndAsync();
            _ = info.StandardError.ReadToEndAsync();
            if (!info.WaitForExit(timeout))
            {
                info.Kill(entireProcessTree: true);
                info.WaitForExit(TimeSpan.FromSeconds(1));   // reaped, not left behind as a zombie
                return false;
            }
            return info.ExitCode == 0;
        }
        catch (Win32Exception)
        {
            return false;   // no such CLI
        }
    }

    /// <summary>Whether <paramref name="executable"/> is a file (given as a path) or a file on PATH (given as a name).</summary>
    public static bool ExecutableExists(string executable) => executable.Contains(Path.DirectorySeparatorChar)
        ? File.Exists(executable)
        : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(dir => File.Exists(Path.Combine(dir, executable)));
}
