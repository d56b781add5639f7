using System.Reflection;

namespace Aspire.Hosting;

/// <summary>How the AppHost runs its resources; bound from the <c>AppHost</c> configuration section (e.g. <c>--AppHost:BuildProjects=false</c>).</summary>
public sealed class OrchestratorOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "AppHost";

    /// <summary>The directory relative paths of the model are resolved against (default: the AppHost's content root).</summary>
    public string Directory { get; set; } = Environment.CurrentDirectory;

    /// <summary>Build project resources before launching them (default true). Off, they must be built already.</summary>
    public bool BuildProjects { get; set; } = true;

    /// <summary>The configuration projects are built and launched in; default: the AppHost's own (Debug or Release).</summary>
    public string ProjectConfiguration { get; set; } =
        Assembly.GetEntryAssembly()?.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration is { Length: > 0 } configuration ? configuration : "Debug";

    /// <summary>The longest a build may take.</summary>
    public TimeSpan BuildTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary><c>auto</c> (ask <c>docker info</c>) or <c>none</c> (never use a container engine: executable fallbacks only).</summary>
    public string ContainerRuntime { get; set; } = "auto";

    /// <summary>The longest <c>docker info</c> may take to answer.</summary>
    public TimeSpan ContainerRuntimeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a stopped process gets between SIGTERM and SIGKILL.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Console lines kept per replica.</summary>
    public int LogLinesPerReplica { get; set; } = ApplicationModel.ResourceLoggerService.DefaultMaxLinesPerReplica;

    /// <summary>Run the dashboard (resource <c>aspire-dashboard</c>) and point every project's OTLP exporter at it (default true).</summary>
    public bool DashboardEnabled { get; set; } = true;

    /// <summary>The dashboard's dll; default: the path the AppHost's build recorded (platform/Hosting/build/AppHostDashboard.targets).</summary>
    public string? DashboardPath { get; set; }

    /// <summary>How long the other resources wait for the dashboard's OTLP port before starting anyway (their telemetry would be lost).</summary>
    public TimeSpan DashboardStartTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The OTLP endpoint resources export telemetry to when there is no dashboard (e.g. a standalone one); none when null.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>The OTLP protocol of <see cref="OtlpEndpoint"/>: <c>grpc</c> or <c>http/protobuf</c>.</summary>
    public string OtlpProtocol { get; set; } = "grpc";
}
