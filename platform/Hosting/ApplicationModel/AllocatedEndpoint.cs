namespace Aspire.Hosting.ApplicationModel;

/// <summary>Where one replica's endpoint listens: <paramref name="Port"/> on the host, <paramref name="TargetPort"/> inside the process' network namespace.</summary>
public sealed record AllocatedEndpoint(EndpointAnnotation Endpoint, string Host, int Port, int TargetPort)
{
    /// <summary>The URL clients use, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url => $"{Endpoint.UriScheme}://{Host}:{Port}";
}
