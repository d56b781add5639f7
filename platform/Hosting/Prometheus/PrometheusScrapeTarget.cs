namespace Aspire.Hosting.ApplicationModel;

/// <summary>One replica Prometheus scrapes: the resource, the replica, and the endpoint and path of its metrics.</summary>
public sealed record PrometheusScrapeTarget(IResource Resource, int ReplicaIndex, EndpointAnnotation Endpoint, string Path)
{
    /// <summary><c>{resource}-{index}</c>: the target's <c>instance</c> label, as the replica's <c>service.instance.id</c>.</summary>
    public string ReplicaName => Resource.GetReplicaName(ReplicaIndex);

    /// <summary>Where the replica listens in this run; throws before the orchestrator allocated ports (a publisher addresses targets its own way).</summary>
    public AllocatedEndpoint Allocated => Resource.GetAllocatedEndpoint(Endpoint.Name, ReplicaIndex);

    /// <summary>Every replica of every resource marked with <see cref="PrometheusScrapeAnnotation"/>, in model order.</summary>
    public static IReadOnlyList<PrometheusScrapeTarget> FromModel(IEnumerable<IResource> resources) =>
    [
        .. from resource in resources
           from scrape in resource.Annotations.OfType<PrometheusScrapeAnnotation>()
           let endpoint = resource.GetEndpoint(scrape.EndpointName)
               ?? throw new DistributedApplicationException($"Resource '{resource.Name}' is scraped on endpoint '{scrape.EndpointName}' (WithPrometheusScrape), which it does not have.")
           from index in Enumerable.Range(0, resource.GetReplicaCount())
           select new PrometheusScrapeTarget(resource, index, endpoint, scrape.Path),
    ];
}
