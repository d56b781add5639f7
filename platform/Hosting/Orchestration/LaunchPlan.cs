namespace Aspire.Hosting.Orchestration;

/// <summary>How to start one replica: the program, its arguments and environment (a null value unsets an inherited variable).</summary>
internal sealed record LaunchPlan(string FileName, IReadOnlyList<string> Args, IReadOnlyDictionary<string, string?> Environment, string WorkingDirectory)
{
    /// <summary>The docker container name when the program is <c>docker run</c>; it is removed on stop and by the reaper.</summary>
    public string? ContainerName { get; init; }

    /// <summary>Set instead of a program when the replica cannot start: the state to report and why.</summary>
    public (string State, string Reason)? Failure { get; init; }

    public static LaunchPlan Fail(string state, string reason) =>
        new("", [], new Dictionary<string, string?>(), "") { Failure = (state, reason) };
}
