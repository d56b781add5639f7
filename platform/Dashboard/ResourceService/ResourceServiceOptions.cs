namespace AspireProber.Dashboard.ResourceService;

/// <summary>Where the AppHost's resource service is (<c>DOTNET_RESOURCE_SERVICE_ENDPOINT_URL</c>); absent when standalone.</summary>
public sealed class ResourceServiceOptions
{
    /// <summary>The configuration key of the endpoint.</summary>
    public const string EndpointKey = "DOTNET_RESOURCE_SERVICE_ENDPOINT_URL";

    /// <summary>The resource service's address (h2c), or null when the dashboard runs alone.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>First delay before reconnecting a broken stream; doubled per failed attempt up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan InitialReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Longest delay between reconnect attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Reads the options from configuration; a set but malformed URL fails the start with a message saying so.</summary>
    public static ResourceServiceOptions FromConfiguration(IConfiguration configuration)
    {
        var url = configuration[EndpointKey];
        if (string.IsNullOrWhiteSpace(url))
        {
            return new ResourceServiceOptions();
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidOperationException($"{EndpointKey} must be an absolute http:// or https:// URL, not '{url}'.");
        }
        return new ResourceServiceOptions { Endpoint = endpoint };
    }
}
