using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>The state of one replica at one moment; each change publishes a new snapshot.</summary>
public sealed record ResourceSnapshot
{
    /// <summary>One of <see cref="KnownResourceStates"/>.</summary>
    public required string State { get; init; }

    /// <summary>Healthy or Unhealthy while running; null before the first check or when not running.</summary>
    public HealthStatus? HealthStatus { get; init; }

    /// <summary>The exit code once <see cref="KnownResourceStates.Exited"/>.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Why it failed, waits or is unavailable.</summary>
    public string? Reason { get; init; }

    /// <summary>The process id while running.</summary>
    public int? ProcessId { get; init; }

    /// <summary>The replica's endpoint URLs.</summary>
    public IReadOnlyList<string> Urls { get; init; } = [];

    /// <summary>The environment variables the AppHost set for the current (or last) run; empty before the first.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables { get; init; } = new Dictionary<string, string>();

    /// <summary>How many times the replica was started again after its first start.</summary>
    public int RestartCount { get; init; }

    /// <summary>When the orchestrator created the replica.</summary>
    public DateTimeOffset CreationTime { get; init; }

    /// <summary>When the process started, or null.</summary>
    public DateTimeOffset? StartTime { get; init; }

    /// <summary>When the process ended, or null.</summary>
    public DateTimeOffset? StopTime { get; init; }

    /// <summary>Running and healthy: what <c>WaitFor</c> waits for.</summary>
    public bool IsHealthy => State == KnownResourceStates.Running && HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy;

    /// <summary>E.g. <c>Running (Healthy)</c>, <c>Exited (3)</c>.</summary>
    public string Describe() => State switch
    {
        KnownResourceStates.Running when HealthStatus is { } health => $"{State} ({health})",
        KnownResourceStates.Exited when ExitCode is { } code => $"{State} ({code})",
        _ => State,
    };
}
