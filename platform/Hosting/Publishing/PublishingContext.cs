namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// What a <see cref="PublishingCallbackAnnotation"/> sees. Endpoints are allocated as the published system sees them by
/// then: <c>resource.GetAllocatedEndpoint("http", i).Url</c> is e.g. <c>http://prober-1:8081</c> (service DNS name,
/// container port), so a generated configuration (scrape targets) works inside Docker Compose unchanged.
/// </summary>
public sealed class PublishingContext(DistributedApplicationModel model, string outputPath, CancellationToken cancellationToken)
{
    /// <summary>The application model.</summary>
    public DistributedApplicationModel Model { get; } = model;

    /// <summary>The directory the compose file is written to (full path, exists).</summary>
    public string OutputPath { get; } = outputPath;

    /// <summary>Cancelled when publishing is abandoned.</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;
}
