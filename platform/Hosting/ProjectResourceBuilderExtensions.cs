using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>Adds .NET projects to the model.</summary>
public static class ProjectResourceBuilderExtensions
{
    /// <summary>Adds the project at <paramref name="projectPath"/> (a .csproj, absolute or relative to the AppHost directory).</summary>
    public static IResourceBuilder<ProjectResource> AddProject(this IDistributedApplicationBuilder builder, string name, string projectPath)
    {
        var fullPath = Path.GetFullPath(projectPath, builder.AppHostDirectory);
        if (!File.Exists(fullPath))
        {
            throw new DistributedApplicationException($"Project '{name}': no project file at '{fullPath}'.");
        }
        return builder.AddResource(new ProjectResource(name, fullPath));
    }

    /// <summary>Adds the project <typeparamref name="TProject"/> describes (a generated <c>Projects.X</c> class).</summary>
    public static IResourceBuilder<ProjectResource> AddProject<TProject>(this IDistributedApplicationBuilder builder, string name) where TProject : IProjectMetadata, new() =>
        builder.AddProject(name, new TProject().ProjectPath);
}
