using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>Environment, arguments, replicas, references and waits, for any resource that supports them.</summary>
public static class ResourceBuilderExtensions
{
    /// <summary>Sets an environment variable of every replica.</summary>
    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, string? value) where T : IResourceWithEnvironment =>
        builder.WithAnnotation(new EnvironmentCallbackAnnotation(name, () => value));

    /// <summary>Sets an environment variable of every replica to a value computed at each start.</summary>
    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, Func<string?> value) where T : IResourceWithEnvironment =>
        builder.WithAnnotation(new EnvironmentCallbackAnnotation(name, value));

    /// <summary>Sets environment variables per replica at each start (ports are allocated by then).</summary>
    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, Action<EnvironmentCallbackContext> callback) where T : IResourceWithEnvironment =>
        builder.WithAnnotation(new EnvironmentCallbackAnnotation(callback));

    /// <summary>Appends command-line arguments.</summary>
    public static IResourceBuilder<T> WithArgs<T>(this IResourceBuilder<T> builder, params string[] args) where T : IResourceWithArgs =>
        builder.WithAnnotation(new CommandLineArgsCallbackAnnotation(context =>
        {
            foreach (var arg in args)
            {
                context.Args.Add(arg);
            }
        }));

    /// <summary>Appends command-line arguments computed per replica at each start.</summary>
    public static IResourceBuilder<T> WithArgs<T>(this IResourceBuilder<T> builder, Action<CommandLineArgsCallbackContext> callback) where T : IResourceWithArgs =>
        builder.WithAnnotation(new CommandLineArgsCallbackAnnotation(callback));

    /// <summary>Runs <paramref name="replicas"/> copies, each with its own ports, logs, state and <c>service.instance.id</c>.</summary>
    public static IResourceBuilder<T> WithReplicas<T>(this IResourceBuilder<T> builder, int replicas) where T : IResource
    {
        foreach (var existing in builder.Resource.Annotations.OfType<ReplicaAnnotation>().ToArray())
        {
            builder.Resource.Annotations.Remove(existing);
        }
        return builder.WithAnnotation(new ReplicaAnnotation(replicas));
    }

    /// <summary>
    /// Gives every replica of this resource the address of every replica of <paramref name="source"/>:
    /// <c>services__{source}__{endpoint}__{i}</c> = its URL, <c>i</c> from 0 — the variables Aspire's service discovery reads.
    /// </summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResourceWithServiceDiscovery> source) where T : IResourceWithEnvironment
    {
        var referenced = source.Resource;
        builder.WithAnnotation(new ResourceRelationshipAnnotation(referenced, "Reference"));
        return builder.WithAnnotation(new EnvironmentCallbackAnnotation(context =>
        {
            foreach (var endpoint in referenced.Annotations.OfType<EndpointAnnotation>())
            {
                for (var i = 0; i < endpoint.AllocatedEndpoints.Count; i++)
                {
                    context.EnvironmentVariables[$"services__{referenced.Name}__{endpoint.Name}__{i}"] = endpoint.AllocatedEndpoints[i].Url;
                }
            }
        }));
    }

    /// <summary>Starts this resource only once every replica of <paramref name="dependency"/> is running and healthy; if the dependency fails instead, this one fails to start.</summary>
    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResource> dependency) where T : IResourceWithWaitSupport
    {
        if (ReferenceEquals(builder.Resource, dependency.Resource))
        {
            throw new DistributedApplicationException($"Resource '{builder.Resource.Name}' cannot wait for itself.");
        }
        builder.WithAnnotation(new ResourceRelationshipAnnotation(dependency.Resource, "WaitFor"));
        return builder.WithAnnotation(new WaitAnnotation(dependency.Resource));
    }
}
