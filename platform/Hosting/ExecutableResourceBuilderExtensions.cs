using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>Adds programs to the model.</summary>
public static class ExecutableResourceBuilderExtensions
{
    /// <summary>Adds <paramref name="command"/> (on PATH, or a path), run in <paramref name="workingDirectory"/> (relative to the AppHost directory) with <paramref name="args"/>.</summary>
    public static IResourceBuilder<ExecutableResource> AddExecutable(this IDistributedApplicationBuilder builder, string name, string command, string workingDirectory, params string[] args)
    {
        var resource = builder.AddResource(new ExecutableResource(name, command, Path.GetFullPath(workingDirectory, builder.AppHostDirectory)));
        return args.Length > 0 ? resource.WithArgs(args) : resource;
    }
}
