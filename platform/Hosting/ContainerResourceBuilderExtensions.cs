using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>Adds containers to the model.</summary>
public static class ContainerResourceBuilderExtensions
{
    /// <summary>Adds a container running <paramref name="image"/>:<paramref name="tag"/>.</summary>
    public static IResourceBuilder<ContainerResource> AddContainer(this IDistributedApplicationBuilder builder, string name, string image, string tag = "latest") =>
        builder.AddResource(new ContainerResource(name)).WithAnnotation(new ContainerImageAnnotation(image, tag));

    /// <summary>Mounts <paramref name="source"/> (relative to the AppHost directory) at <paramref name="target"/> in the container.</summary>
    public static IResourceBuilder<ContainerResource> WithBindMount(this IResourceBuilder<ContainerResource> builder, string source, string target, bool isReadOnly = false) =>
        builder.WithAnnotation(new ContainerMountAnnotation(Path.GetFullPath(source, builder.ApplicationBuilder.AppHostDirectory), target, isReadOnly));

    /// <summary>Where no container engine answers, runs <paramref name="command"/> from PATH with <paramref name="args"/> instead of the image.</summary>
    public static IResourceBuilder<ContainerResource> WithExecutableFallback(this IResourceBuilder<ContainerResource> builder, string command, string[] args, string? installHint = null) =>
        builder.WithExecutableFallback(command, context =>
        {
            foreach (var arg in args)
            {
                context.Args.Add(arg);
            }
        }, installHint);

    /// <summary>
    /// Where no container engine answers, runs <paramref name="command"/> from PATH with arguments built per replica
    /// (use <see cref="CommandLineArgsCallbackContext.GetEndpoint"/>'s <c>Port</c> to tell it where to listen).
    /// <paramref name="installHint"/> says how to get the program (e.g. <c>apt-get install prometheus</c>) when it is missing too.
    /// </summary>
    public static IResourceBuilder<ContainerResource> WithExecutableFallback(this IResourceBuilder<ContainerResource> builder, string command, Action<CommandLineArgsCallbackContext> args, string? installHint = null) =>
        builder.WithAnnotation(new ExecutableFallbackAnnotation(command, args, installHint));
}
