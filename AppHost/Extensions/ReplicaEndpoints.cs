using Microsoft.Extensions.DependencyInjection;

namespace Aspire.Hosting;

/// <summary>
/// Every replica's own address, for clients that balance per call or fan out. <c>WithReference</c> hands a client one
/// URL per endpoint: DCP's proxy, which pins one HTTP/2 connection, and so every gRPC call on it, to one replica
/// (dotnet/aspire#6640); proxy-less endpoints cannot be combined with replicas. Each replica's snapshot in
/// <see cref="ResourceNotificationService"/> does carry the environment DCP started it with, including the URL of its
/// own Kestrel endpoint, so the AppHost reads the addresses from there.
/// </summary>
public static class ReplicaEndpoints
{
    /// <summary>
    /// References <paramref name="source"/> and sets <c>services__{name}__{endpoint}__{i}</c> to the address of each
    /// of its replicas (in place of the single proxy address), once every replica has started (not waiting for healthy:
    /// a gRPC channel connects when the replica listens).
    /// </summary>
    public static IResourceBuilder<T> WithReplicaReferences<T>(this IResourceBuilder<T> builder, IResourceBuilder<ProjectResource> source, string endpointName)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport
    {
        builder.WithReference(source).WaitForStart(source);
        return builder.WithEnvironment(async context =>
        {
            // Published, no replica runs here: the compose publisher gives each replica its own service and lists
            // every one of them in place of the reference's services__{name}__{endpoint}__0.
            if (context.ExecutionContext.IsPublishMode)
            {
                return;
            }
            var notifications = context.ExecutionContext.Services.GetRequiredService<ResourceNotificationService>();
            var addresses = (await GetAddressesAsync(notifications, source.Resource, endpointName, context.CancellationToken)).Values.ToArray();
            for (var i = 0; i < addresses.Length; i++)
            {
                context.EnvironmentVariables[$"services__{source.Resource.Name}__{endpointName}__{i}"] = addresses[i];
            }
        });
    }

    /// <summary>
    /// The address of <paramref name="endpointName"/> on every replica of <paramref name="resource"/>, by replica id
    /// (in order); waits until each replica has been started.
    /// </summary>
    public static async Task<SortedDictionary<string, string>> GetAddressesAsync(ResourceNotificationService notifications, IResource resource, string endpointName, CancellationToken cancellationToken)
    {
        var replicas = resource.GetReplicaCount();
        var addresses = new SortedDictionary<string, string>(StringComparer.Ordinal);
        await foreach (var update in notifications.WatchAsync(cancellationToken))
        {
            if (update.Resource == resource && AddressOf(update.Snapshot, endpointName) is { } address)
            {
                addresses[update.ResourceId] = address;
                if (addresses.Count == replicas)
                {
                    break;
                }
            }
        }
        return addresses;
    }

    /// <summary>
    /// The URL this replica's Kestrel endpoint was started on (<c>Kestrel__Endpoints__{endpoint}__Url</c>, set by Aspire
    /// for endpoints a project declares in its Kestrel configuration), or null before it started.
    /// </summary>
    public static string? AddressOf(CustomResourceSnapshot snapshot, string endpointName) =>
        snapshot.EnvironmentVariables.FirstOrDefault(v => v.Name == $"Kestrel__Endpoints__{endpointName}__Url")?.Value;
}
