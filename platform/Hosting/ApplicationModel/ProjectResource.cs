namespace Aspire.Hosting.ApplicationModel;

/// <summary>A .NET project, built if needed and launched from its output with <c>dotnet &lt;dll&gt;</c>.</summary>
public sealed class ProjectResource(string name, string projectPath) : Resource(name),
    IResourceWithEnvironment, IResourceWithArgs, IResourceWithServiceDiscovery, IResourceWithWaitSupport
{
    /// <summary>The full path of the .csproj.</summary>
    public string ProjectPath { get; } = Path.GetFullPath(projectPath);
}
