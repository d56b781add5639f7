using System.Net;
using Grpc.Core;
using Grpc.Net.Client.Balancer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.ServiceDiscovery;

namespace AspireProber.ServiceDefaults;

/// <summary>
/// grpc-dotnet's resolver for <c>discovery://{service}</c> addresses: every endpoint Microsoft.Extensions.ServiceDiscovery
/// knows for the service's grpc endpoint (<c>services__{service}__grpc__{i}</c>), so the channel's round-robin balancer
/// spreads calls over every replica.
/// </summary>
/// <remarks>
/// Why a resolver of our own: for an <c>http://</c> address grpc-dotnet always resolves the one host in it, and
/// service discovery's HttpClient handler then picks an endpoint per request below the channel, where the channel can
/// neither see the replicas nor balance over them. A custom scheme hands the whole list to the channel (grpc-dotnet's
/// documented extension point, <see cref="ResolverFactory"/>); Grpc.Net.ClientFactory finds it in the container.
/// </remarks>
public sealed class ServiceDiscoveryResolverFactory(ServiceEndpointResolver endpoints, IConfiguration configuration) : ResolverFactory
{
    /// <summary>The address scheme this resolver answers.</summary>
    public const string Scheme = "discovery";

    /// <summary>The endpoint name a client resolves unless it names another (the AppHost's gRPC endpoint).</summary>
    public const string DefaultEndpointName = "grpc";

    /// <inheritdoc />
    public override string Name => Scheme;

    /// <summary>The channel address of <paramref name="serviceName"/>'s grpc endpoint, e.g. <c>discovery://prober</c>.</summary>
    public static Uri AddressOf(string serviceName) => new($"{Scheme}://{serviceName}");

    /// <summary>
    /// The service discovery query of an endpoint: <c>http://_grpc.prober</c> asks for the endpoint named grpc of
    /// the service prober, over plain http.
    /// </summary>
    public static string QueryOf(string serviceName, string endpointName = DefaultEndpointName) => $"http://_{endpointName}.{serviceName}";

    /// <inheritdoc />
    public override Resolver Create(ResolverOptions options) =>
        new ServiceDiscoveryResolver(options.Address.Host, endpoints, configuration, options.LoggerFactory);

    /// <summary>The host and port of a discovered endpoint.</summary>
    public static (string Host, int Port) HostAndPort(ServiceEndpoint endpoint) => endpoint.EndPoint switch
    {
        IPEndPoint ip => (ip.Address.ToString(), ip.Port),
        DnsEndPoint dns => (dns.Host, dns.Port),
        UriEndPoint uri => (uri.Uri.Host, uri.Uri.Port),
        var other => throw new InvalidOperationException($"Service discovery returned '{other}', which is not a host and port."),
    };

    private sealed class ServiceDiscoveryResolver(string serviceName, ServiceEndpointResolver endpoints, IConfiguration configuration, ILoggerFactory loggerFactory)
        : PollingResolver(loggerFactory)
    {
        private readonly string _query = QueryOf(serviceName);
        private IDisposable? _changeRegistration;

        protected override async Task ResolveAsync(CancellationToken cancellationToken)
        {
            if (!configuration.HasService(serviceName))
            {
                // Service discovery would take the bare name for a DNS host; no such host is meant here.
                Listener(ResolverResult.ForFailure(new Status(StatusCode.Unavailable,
                    $"No address for '{serviceName}': set services__{serviceName}__grpc__0 (the AppHost does this for references).")));
                return;
            }
            try
            {
                var source = await endpoints.GetEndpointsAsync(_query, cancellationToken);
                var addresses = source.Endpoints
                    .Select(endpoint => HostAndPort(endpoint))
                    .Select(hostAndPort => new BalancerAddress(hostAndPort.Host, hostAndPort.Port))
                    .ToArray();
                Listener(addresses.Length > 0
                    ? ResolverResult.ForResult(addresses)
                    : ResolverResult.ForFailure(new Status(StatusCode.Unavailable,
                        $"Service discovery found no endpoint for '{_query}': set services__{serviceName}__grpc__0 (the AppHost does this for references).")));

                // A new replica list (configuration reloaded, a provider refreshed) resolves again.
                _changeRegistration?.Dispose();
                _changeRegistration = source.ChangeToken.RegisterChangeCallback(_ => Refresh(), null);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Listener(ResolverResult.ForFailure(new Status(StatusCode.Unavailable, $"Service discovery of '{_query}' failed: {ex.Message}", ex)));
            }
        }

        protected override void Dispose(bool disposing)
        {
            _changeRegistration?.Dispose();
            base.Dispose(disposing);
        }
    }
}
