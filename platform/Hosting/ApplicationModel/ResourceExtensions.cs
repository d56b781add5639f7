namespace Aspire.Hosting.ApplicationModel;

/// <summary>Reads a resource's annotations.</summary>
public static class ResourceExtensions
{
    /// <summary>How many replicas the resource runs (1 unless <c>WithReplicas</c>).</summary>
    public static int GetReplicaCount(this IResource resource) =>
        resource.Annotations.OfType<ReplicaAnnotation>().LastOrDefault()?.Replicas ?? 1;

    /// <summary>The endpoint called <paramref name="endpointName"/>, or null.</summary>
    public static EndpointAnnotation? GetEndpoint(this IResource resource, string endpointName) =>
        resource.Annotations.OfType<EndpointAnnotation>().FirstOrDefault(e => e.Name == endpointName);

    /// <summary>Where replica <paramref name="replicaIndex"/> listens on endpoint <paramref name="endpointName"/>; throws before the orchestrator has allocated it.</summary>
    public static AllocatedEndpoint GetAllocatedEndpoint(this IResource resource, string endpointName, int replicaIndex = 0)
    {
        var endpoint = resource.GetEndpoint(endpointName)
            ?? throw new DistributedApplicationException($"Resource '{resource.Name}' has no endpoint '{endpointName}'.");
        return replicaIndex < endpoint.AllocatedEndpoints.Count
            ? endpoint.AllocatedEndpoints[replicaIndex]
            : throw new DistributedApplicationException($"Endpoint '{endpointName}' of '{resource.Name}' has no address for replica {replicaIndex} yet; ports are allocated when the application starts.");
    }

    /// <summary>The name of one replica: <c>{resource}-{index}</c>, also its <c>service.instance.id</c>.</summary>
    public static string GetReplicaName(this IResource resource, int replicaIndex) => $"{resource.Name}-{replicaIndex}";
}
