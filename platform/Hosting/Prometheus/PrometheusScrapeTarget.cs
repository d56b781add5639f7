namespace Aspire.Hosting.ApplicationModel;

/// <summary>One replica Prometheus scrapes: the resource, the replica and the endpoint and path of its metrics.</summary>
public sealed record PrometheusScrapeTarget(IResource Resource, int ReplicaIndex, AllocatedEndpoint Endpoint, string Path)
{
    /// <summary><c>{resource}-{index}</c>: the target's <c>instance</c> label, as the replica's <c>service.instance.id</c>.</summary>
    public string ReplicaName => Resource.GetReplicaName(ReplicaIndex);

    /// <summary>Every replica of every resource marked with <see cref="PrometheusScrapeAnnotation"/>, in model order; ports must be allocated.</summary>
    public static IReadOnlyList<PrometheusScrapeTarget> FromModel(IEnumerable<IResource> resources) =>
    [
        .. from resource in resources
           from scrape in resource.Annotations.OfType<PrometheusScrapeAnnotation>()
           from index in Enumerable.Range(0, resource.GetReplicaCount())
           select new PrometheusScrapeTarget(resource, index, resource.GetAllocatedEndpoint(scrape.EndpointName, index), scrape.Path),
    ];
}
