namespace Aspire.Hosting.ApplicationModel;

/// <summary>Any program, found on PATH or by path, started in a working directory.</summary>
public sealed class ExecutableResource(string name, string command, string workingDirectory) : Resource(name),
    IResourceWithEnvironment, IResourceWithArgs, IResourceWithServiceDiscovery, IResourceWithWaitSupport
{
    /// <summary>The program: a name looked up on PATH, or a path.</summary>
    public string Command { get; } = command;

    /// <summary>The directory the program starts in.</summary>
    public string WorkingDirectory { get; } = Path.GetFullPath(workingDirectory);
}
