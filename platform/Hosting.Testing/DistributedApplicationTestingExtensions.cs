using System.Net;
using Aspire.Hosting.ApplicationModel;
using Grpc.Net.Client;

namespace Aspire.Hosting.Testing;

/// <summary>What a test does with a started application: find endpoints, call resources, wait for states and logs.</summary>
public static class DistributedApplicationTestingExtensions
{
    /// <summary>
    /// The URL of replica <paramref name="replicaIndex"/>'s endpoint <paramref name="endpointName"/> (null: the
    /// resource's first endpoint), e.g. <c>http://127.0.0.1:41234</c>. Ports are allocated at start.
    /// </summary>
    public static Uri GetEndpoint(this DistributedApplication app, string resourceName, string? endpointName = null, int replicaIndex = 0)
    {
        var endpoints = GetEndpoints(app, resourceName, endpointName);
        return replicaIndex >= 0 && replicaIndex < endpoints.Count
            ? endpoints[replicaIndex]
            : throw new ArgumentOutOfRangeException(nameof(replicaIndex), $"Resource '{resourceName}' has {endpoints.Count} replica(s), not {replicaIndex + 1}.");
    }

    /// <summary>The URL of <paramref name="endpointName"/> (null: the first endpoint) on every replica, in replica order.</summary>
    public static IReadOnlyList<Uri> GetEndpoints(this DistributedApplication app, string resourceName, string? endpointName = null)
    {
        var endpoint = FindEndpoint(app, resourceName, endpointName);
        return endpoint.AllocatedEndpoints.Count > 0
            ? [.. endpoint.AllocatedEndpoints.Select(a => new Uri(a.Url))]
            : throw new InvalidOperationException($"Endpoint '{endpoint.Name}' of '{resourceName}' has no address yet: start the application first.");
    }

    /// <summary>
    /// An HttpClient whose base address is the replica's endpoint; it speaks HTTP/2 without TLS (h2c) to an
    /// <see cref="EndpointTransports.Http2"/> endpoint. The caller disposes it.
    /// </summary>
    public static HttpClient CreateHttpClient(this DistributedApplication app, string resourceName, string? endpointName = null, int replicaIndex = 0)
    {
        var http2 = FindEndpoint(app, resourceName, endpointName).Transport == EndpointTransports.Http2;
        return new HttpClient(new SocketsHttpHandler { UseProxy = false })
        {
            BaseAddress = GetEndpoint(app, resourceName, endpointName, replicaIndex),
            DefaultRequestVersion = http2 ? HttpVersion.Version20 : HttpVersion.Version11,
            DefaultVersionPolicy = http2 ? HttpVersionPolicy.RequestVersionExact : HttpVersionPolicy.RequestVersionOrLower,
        };
    }

    /// <summary>
    /// A gRPC channel over every replica of the endpoint, balancing per call (round-robin) as the services' own
    /// clients do; <see cref="GrpcChannel.FanOutAsync{TResponse}"/> reaches each one. The caller disposes it.
    /// </summary>
    public static GrpcChannel CreateGrpcChannel(this DistributedApplication app, string resourceName, string endpointName = "grpc", GrpcChannelOptions? options = null) =>
        GrpcChannel.ForAddresses(GetEndpoints(app, resourceName, endpointName), options);

    /// <summary>A gRPC channel to replica <paramref name="replicaIndex"/> only. The caller disposes it.</summary>
    public static GrpcChannel CreateGrpcChannel(this DistributedApplication app, string resourceName, int replicaIndex, string endpointName = "grpc", GrpcChannelOptions? options = null) =>
        GrpcChannel.ForAddress(GetEndpoint(app, resourceName, endpointName, replicaIndex), options);

    /// <summary>Waits until replica <paramref name="replicaIndex"/> of <paramref name="resourceName"/> is running and healthy.</summary>
    public static Task<ResourceEvent> WaitForReplicaHealthyAsync(this ResourceNotificationService notifications, string resourceName, int replicaIndex, CancellationToken cancellationToken = default) =>
        notifications.WaitForResourceAsync(resourceName, e => e.ReplicaIndex == replicaIndex && e.Snapshot.IsHealthy, cancellationToken);

    /// <summary>Waits until every replica of every resource is running and healthy.</summary>
    public static Task WaitForAllResourcesHealthyAsync(this DistributedApplication app, CancellationToken cancellationToken = default) =>
        Task.WhenAll(app.Model.Resources.Select(r => app.ResourceNotifications.WaitForResourceHealthyAsync(r.Name, cancellationToken)));

    /// <summary>
    /// Waits for a console line of the replica that satisfies <paramref name="predicate"/>, looking at the lines it
    /// wrote so far first; returns that line.
    /// </summary>
    public static async Task<LogLine> WaitForConsoleLineAsync(this DistributedApplication app, string resourceName, int replicaIndex, Func<LogLine, bool> predicate, CancellationToken cancellationToken = default)
    {
        var resource = app.Model.GetResource(resourceName);
        await foreach (var batch in app.ResourceLogs.WatchAsync(resource, replicaIndex, cancellationToken).ConfigureAwait(false))
        {
            foreach (var line in batch)
            {
                if (predicate(line))
                {
                    return line;
                }
            }
        }
        throw new OperationCanceledException($"The console of {resource.GetReplicaName(replicaIndex)} ended without a matching line.", cancellationToken);
    }

    private static EndpointAnnotation FindEndpoint(DistributedApplication app, string resourceName, string? endpointName)
    {
        var resource = app.Model.GetResource(resourceName);
        var endpoints = resource.Annotations.OfType<EndpointAnnotation>().ToArray();
        return (endpointName is null ? endpoints.FirstOrDefault() : endpoints.FirstOrDefault(e => string.Equals(e.Name, endpointName, StringComparison.OrdinalIgnoreCase)))
            ?? throw new InvalidOperationException($"Resource '{resourceName}' has no endpoint {(endpointName is null ? "" : $"'{endpointName}' ")}(it has: {string.Join(", ", endpoints.Select(e => e.Name))}).");
    }
}
