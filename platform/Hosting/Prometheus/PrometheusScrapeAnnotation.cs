namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// Marks a resource whose replicas serve Prometheus metrics: every Prometheus resource of the model scrapes
/// <see cref="Path"/> on endpoint <see cref="EndpointName"/> of each replica.
/// </summary>
public sealed record PrometheusScrapeAnnotation(string EndpointName, string Path) : IResourceAnnotation;
