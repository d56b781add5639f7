namespace Aspire.Hosting.ApplicationModel;

/// <summary>The states a replica goes through, named as Aspire names them.</summary>
public static class KnownResourceStates
{
    /// <summary>Not started yet (or being built).</summary>
    public const string NotStarted = "NotStarted";

    /// <summary>Waiting for the resources it <c>WaitFor</c>s to be healthy.</summary>
    public const string Waiting = "Waiting";

    /// <summary>Its process is being launched.</summary>
    public const string Starting = "Starting";

    /// <summary>Its process runs; <see cref="ResourceSnapshot.HealthStatus"/> says whether it is healthy.</summary>
    public const string Running = "Running";

    /// <summary>Being stopped (SIGTERM sent, waiting for it to exit).</summary>
    public const string Stopping = "Stopping";

    /// <summary>Its process ended; <see cref="ResourceSnapshot.ExitCode"/> says how.</summary>
    public const string Exited = "Exited";

    /// <summary>It could not be launched; <see cref="ResourceSnapshot.Reason"/> says why.</summary>
    public const string FailedToStart = "FailedToStart";

    /// <summary>It needs a runtime this machine lacks (a container engine); <see cref="ResourceSnapshot.Reason"/> says how to get one.</summary>
    public const string RuntimeUnavailable = "RuntimeUnavailable";

    /// <summary>True for states a replica does not leave by itself.</summary>
    public static bool IsTerminal(string state) => state is Exited or FailedToStart or RuntimeUnavailable;
}
