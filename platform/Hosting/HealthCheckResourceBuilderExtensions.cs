using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>Health checks: what makes a replica Healthy, and so what <c>WaitFor</c> waits for.</summary>
public static class HealthCheckResourceBuilderExtensions
{
    /// <summary>Healthy when a GET of <paramref name="path"/> (default <c>/health</c>) on endpoint <paramref name="endpointName"/> (default <c>http</c>) answers <paramref name="statusCode"/> (default 200).</summary>
    public static IResourceBuilder<T> WithHttpHealthCheck<T>(this IResourceBuilder<T> builder, string? path = null, int? statusCode = null, string? endpointName = null) where T : IResourceWithEndpoints =>
        builder.WithAnnotation(HealthCheckAnnotation.Http(path ?? "/health", RequireEndpoint(builder, endpointName ?? "http"), statusCode ?? 200));

    /// <summary>Healthy when grpc.health.v1 Check of <paramref name="service"/> ("" = the server) on endpoint <paramref name="endpointName"/> answers SERVING.</summary>
    public static IResourceBuilder<T> WithGrpcHealthCheck<T>(this IResourceBuilder<T> builder, string endpointName = "grpc", string service = "") where T : IResourceWithEndpoints =>
        builder.WithAnnotation(HealthCheckAnnotation.Grpc(RequireEndpoint(builder, endpointName), service));

    private static string RequireEndpoint<T>(IResourceBuilder<T> builder, string endpointName) where T : IResource =>
        builder.Resource.GetEndpoint(endpointName) is not null
            ? endpointName
            : throw new DistributedApplicationException($"Resource '{builder.Resource.Name}' has no endpoint '{endpointName}' to health-check; add it first (WithHttpEndpoint/WithEndpoint).");
}
