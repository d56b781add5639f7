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

    /// <summary>
    /// The runtime <paramref name="configuration"/> asks for; for auto, the executable when it is found and otherwise
    /// the container if the container engine answers. Only then is the engine asked: a machine with Debian's
    /// prometheus (test.sh installs it) pays nothing for the check. The container asked for by name with no engine
    /// answering is an error: Aspire's start would wait for it without end.
    /// </summary>
    public static PrometheusRuntime Choose(IConfiguration configuration, string executable) =>
        Parse(configuration[Setting]) switch
        {
            PrometheusRuntime.Auto when ExecutableExists(executable) => PrometheusRuntime.Executable,
            PrometheusRuntime.Auto => ContainerEngine.Answers(configuration) ? PrometheusRuntime.Container : PrometheusRuntime.Executable,
            PrometheusRuntime.Container when !ContainerEngine.Answers(configuration) => throw new ArgumentException(
                $"{Setting} is 'container', but no container engine answers ('{ContainerEngine.Cli(configuration)} info' failed): "
                + "start Docker or Podman, or use auto or executable."),
            var chosen => chosen,
        };

    /// <summary>
    /// The prometheus program to run: <see cref="PrometheusExtensions.ExecutableSetting"/>, else Debian's
    /// <c>prometheus</c>. A name is looked up on PATH when Prometheus starts (missing, its log says what to install);
    /// a path must name a file now, so a mistyped one stops the AppHost before it starts anything.
    /// </summary>
    public static string Executable(IConfiguration configuration)
    {
        var executable = configuration[PrometheusExtensions.ExecutableSetting] ?? "prometheus";
        if (string.IsNullOrWhiteSpace(executable) || (executable.Contains(Path.DirectorySeparatorChar) && !File.Exists(executable)))
        {
            throw new ArgumentException($"{PrometheusExtensions.ExecutableSetting} is '{executable}': name the prometheus program "
                + "(on PATH, e.g. prometheus) or the path of an existing file.");
        }
        return executable;
    }

    /// <summary>The value of <see cref="Setting"/>; a value that is none of the three is an error that lists them.</summary>
    public static PrometheusRuntime Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => PrometheusRuntime.Auto,
        "executable" => PrometheusRuntime.Executable,
        "container" => PrometheusRuntime.Container,
        _ => throw new ArgumentException($"{Setting} is '{value}': use auto, executable or container.", nameof(value)),
    };

    /// <summary>
    /// The name a container reaches the host by: <see cref="ContainerHostSetting"/>, else what Aspire's DCP uses for
    /// the engine, podman's host.containers.internal or Docker's host.docker.internal. On Docker Desktop it reaches
    /// the host's loopback, where the services listen; on Linux's Docker Engine it is the bridge gateway, which they
    /// do not listen on.
    /// </summary>
    public static string ContainerHostName(IConfiguration configuration) => configuration[ContainerHostSetting] switch
    {
        null => Path.GetFileNameWithoutExtension(ContainerEngine.Cli(configuration)) == "podman" ? "host.containers.internal" : "host.docker.internal",
        var host when Uri.CheckHostName(host) == UriHostNameType.Unknown => throw new ArgumentException(
            $"{ContainerHostSetting} is '{host}': give the host name or IP address containers reach this machine at, e.g. host.docker.internal."),
        var host => host,
    };

    /// <summary>Whether <paramref name="executable"/> is a file (given as a path) or a file on PATH (given as a name).</summary>
    public static bool ExecutableExists(string executable) => executable.Contains(Path.DirectorySeparatorChar)
        ? File.Exists(executable)
        : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(dir => File.Exists(Path.Combine(dir, executable)));
}
