namespace Aspire.Hosting;

/// <summary>What <see cref="DistributedApplication.CreateBuilder(DistributedApplicationOptions)"/> starts from.</summary>
public sealed class DistributedApplicationOptions
{
    /// <summary>The AppHost's command-line arguments (configuration overrides such as <c>--AppHost:BuildProjects=false</c>).</summary>
    public string[] Args { get; set; } = [];

    /// <summary>Where relative paths in the model are resolved; default: <c>AppHost:Directory</c>, else the AppHost project directory its build recorded, else the content root (current directory).</summary>
    public string? AppHostDirectory { get; set; }
}
