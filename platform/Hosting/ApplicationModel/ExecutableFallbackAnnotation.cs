namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// What a container resource runs instead when no container engine answers: a program on PATH (e.g. Debian's
/// <c>prometheus</c>) with its own arguments. The container's env vars and endpoints apply; its image args and bind
/// mounts do not (the program reads host paths directly).
/// </summary>
public sealed class ExecutableFallbackAnnotation(string command, Action<CommandLineArgsCallbackContext> args, string? installHint) : IResourceAnnotation
{
    /// <summary>The program, looked up on PATH.</summary>
    public string Command { get; } = command;

    /// <summary>Builds the program's arguments per replica (ports are allocated by then).</summary>
    public Action<CommandLineArgsCallbackContext> Args { get; } = args;

    /// <summary>How to get the program, e.g. <c>apt-get install prometheus</c>; part of the RuntimeUnavailable message.</summary>
    public string? InstallHint { get; } = installHint;
}
