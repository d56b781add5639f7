using System.Globalization;
using Aspire.Hosting.ApplicationModel;

namespace AspireProber.AppHost.Publishing;

/// <summary>
/// Names and addresses inside the compose network. Compose has no proxy in front of replicas, so each replica of a
/// resource is its own service (<c>prober-0</c>, <c>prober-1</c>, …) on the endpoints' target ports, and a reference
/// to a replicated resource lists every replica.
/// </summary>
internal static class ComposeAddresses
{
    /// <summary>The compose services of <paramref name="resource"/>: its name, or one per replica.</summary>
    public static IReadOnlyList<string> ServicesOf(IResource resource)
    {
        var replicas = resource.GetReplicaCount();
        return replicas == 1 ? [resource.Name] : [.. Enumerable.Range(0, replicas).Select(i => $"{resource.Name}-{i}")];
    }

    /// <summary>The port <paramref name="endpointName"/> listens on inside each of the resource's containers.</summary>
    public static int TargetPortOf(IResource resource, string endpointName) =>
        resource.Annotations.OfType<EndpointAnnotation>().SingleOrDefault(e => e.Name == endpointName)?.TargetPort
        ?? throw new InvalidOperationException($"Endpoint '{endpointName}' of '{resource.Name}' has no target port to publish.");

    /// <summary><paramref name="endpoint"/> on one compose service of its resource.</summary>
    public static string UrlOf(EndpointReference endpoint, string service) =>
        $"{endpoint.Scheme}://{service}:{TargetPortOf(endpoint.Resource, endpoint.EndpointName)}";

    /// <summary>
    /// The environment a compose service gets from the model's values: references become compose addresses, and a
    /// service-discovery entry for a replicated resource (<c>services__prober__grpc__0</c>) becomes one entry per
    /// replica (<c>__0</c>, <c>__1</c>, …). Other single-address references to a replicated resource have no compose
    /// form and are left out, through <paramref name="skipped"/>; so are https references.
    /// </summary>
    public static async Task<OrderedDictionary<string, string>> EnvironmentAsync(IReadOnlyDictionary<string, object> values, Action<string> skipped, CancellationToken cancellationToken)
    {
        var environment = new OrderedDictionary<string, string>();
        foreach (var (name, value) in values)
        {
            if (value is EndpointReference { Scheme: "https" })
            {
                // As in Aspire's compose publisher: no certificates in compose, so nothing listens on https there
                // (Aspire adds a default https endpoint to every project in publish mode).
                continue;
            }
            if (value is EndpointReference endpoint && ServicesOf(endpoint.Resource) is { Count: > 1 } replicas)
            {
                if (!(name.StartsWith("services__", StringComparison.Ordinal) && name.EndsWith("__0", StringComparison.Ordinal)))
                {
                    skipped(name);
                    continue;
                }
                for (var i = 0; i < replicas.Count; i++)
                {
                    environment[$"{name[..^1]}{i}"] = UrlOf(endpoint, replicas[i]);
                }
                continue;
            }
            environment[name] = await ResolveAsync(value, cancellationToken);
        }
        return environment;
    }

    private static async Task<string> ResolveAsync(object value, CancellationToken cancellationToken) => value switch
    {
        string text => text,
        EndpointReference endpoint => UrlOf(endpoint, SingleServiceOf(endpoint.Resource)),
        EndpointReferenceExpression property => PropertyOf(property),
        ReferenceExpression { IsConditional: true } conditional =>
            await ResolveAsync(string.Equals(await conditional.Condition!.GetValueAsync(cancellationToken), conditional.MatchValue, StringComparison.OrdinalIgnoreCase)
                ? conditional.WhenTrue! : conditional.WhenFalse!, cancellationToken),
        ReferenceExpression expression => string.Format(CultureInfo.InvariantCulture, expression.Format,
            await Task.WhenAll(expression.ValueProviders.Select(v => ResolveAsync(v, cancellationToken)))),
        _ => throw new NotSupportedException($"No compose form for a {value.GetType().Name} value."),
    };

    // Inside the compose network a service is reached on its container (target) port: there is no host port mapping.
    // The host is asked for only where used: a replica's own Kestrel URL (http://*:{port}) names no host.
    private static string PropertyOf(EndpointReferenceExpression expression)
    {
        var endpoint = expression.Endpoint;
        var port = TargetPortOf(endpoint.Resource, endpoint.EndpointName).ToString(CultureInfo.InvariantCulture);
        return expression.Property switch
        {
            EndpointProperty.Url => UrlOf(endpoint, SingleServiceOf(endpoint.Resource)),
            EndpointProperty.Host or EndpointProperty.IPV4Host => SingleServiceOf(endpoint.Resource),
            EndpointProperty.Port or EndpointProperty.TargetPort => port,
            EndpointProperty.HostAndPort => $"{SingleServiceOf(endpoint.Resource)}:{port}",
            EndpointProperty.Scheme => endpoint.Scheme,
            var other => throw new NotSupportedException($"No compose form for endpoint property {other}."),
        };
    }

    private static string SingleServiceOf(IResource resource) => ServicesOf(resource) is [var service]
        ? service
        : throw new NotSupportedException($"'{resource.Name}' has replicas: a single address of it has no compose form.");
}
