using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>Endpoints: each replica gets a free loopback port per endpoint when the application starts.</summary>
public static class EndpointResourceBuilderExtensions
{
    /// <summary>
    /// An HTTP/1.1 endpoint, named <c>http</c> unless <paramref name="name"/> says otherwise. <paramref name="port"/>:
    /// a fixed host port (single replica only), null to allocate one; <paramref name="targetPort"/>: for containers, the
    /// port inside; <paramref name="env"/>: an env var that gets the listening port (for executables).
    /// </summary>
    public static IResourceBuilder<T> WithHttpEndpoint<T>(this IResourceBuilder<T> builder, int? port = null, int? targetPort = null, string? name = null, string? env = null) where T : IResourceWithEndpoints =>
        builder.WithEndpoint(port, targetPort, "http", name ?? "http", env, EndpointTransports.Http1);

    /// <summary>An endpoint; <paramref name="transport"/> <see cref="EndpointTransports.Http2"/> makes it HTTP/2-only (h2c), as gRPC needs.</summary>
    public static IResourceBuilder<T> WithEndpoint<T>(this IResourceBuilder<T> builder, int? port = null, int? targetPort = null, string? scheme = null, string? name = null, string? env = null, string? transport = null) where T : IResourceWithEndpoints
    {
        var endpointName = name ?? scheme ?? "http";
        if (builder.Resource.GetEndpoint(endpointName) is not null)
        {
            throw new DistributedApplicationException($"Resource '{builder.Resource.Name}' already has an endpoint named '{endpointName}'.");
        }
        return builder.WithAnnotation(new EndpointAnnotation(endpointName, scheme ?? "http", transport ?? EndpointTransports.Http1)
        {
            Port = port,
            TargetPort = targetPort,
            EnvironmentVariable = env,
        });
    }

    /// <summary>Changes endpoint <paramref name="endpointName"/> (creating it when <paramref name="createIfNotExists"/>).</summary>
    public static IResourceBuilder<T> WithEndpoint<T>(this IResourceBuilder<T> builder, string endpointName, Action<EndpointAnnotation> callback, bool createIfNotExists = true) where T : IResourceWithEndpoints
    {
        var endpoint = builder.Resource.GetEndpoint(endpointName);
        if (endpoint is null)
        {
            if (!createIfNotExists)
            {
                throw new DistributedApplicationException($"Resource '{builder.Resource.Name}' has no endpoint named '{endpointName}'.");
            }
            endpoint = new EndpointAnnotation(endpointName);
            builder.WithAnnotation(endpoint);
        }
        callback(endpoint);
        return builder;
    }
}
