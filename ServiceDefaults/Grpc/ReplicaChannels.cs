using Grpc.Net.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.ServiceDiscovery;

namespace AspireProber.ServiceDefaults;

/// <summary>
/// One channel per replica of a resource, for calls that must reach each replica rather than any one (the runner's
/// fan-out of a probe to every prober). The replica addresses come from service discovery, as the balanced clients' do.
/// </summary>
public sealed class ReplicaChannels(ServiceEndpointResolver endpoints, IConfiguration configuration, ILoggerFactory loggerFactory) : IDisposable
{
    private readonly Dictionary<Uri, GrpcChannel> _channels = [];

    /// <summary>True when the configuration names <paramref name="serviceName"/> (see <see cref="GrpcClientDefaults.HasService"/>).</summary>
    public bool IsConfigured(string serviceName) => configuration.HasService(serviceName);

    /// <summary>The address of every replica of <paramref name="serviceName"/>'s grpc endpoint, in discovery order.</summary>
    public async Task<IReadOnlyList<Uri>> GetReplicaAddressesAsync(string serviceName, CancellationToken cancellationToken)
    {
        var source = await endpoints.GetEndpointsAsync(ServiceDiscoveryResolverFactory.QueryOf(serviceName), cancellationToken);
        return source.Endpoints
            .Select(ServiceDiscoveryResolverFactory.HostAndPort)
            .Select(hostAndPort => new UriBuilder(Uri.UriSchemeHttp, hostAndPort.Host, hostAndPort.Port).Uri)
            .ToArray();
    }

    /// <summary>The channel to the one replica at <paramref name="address"/>, created on first use and disposed with the app.</summary>
    public GrpcChannel Get(Uri address)
    {
        lock (_channels)
        {
            if (!_channels.TryGetValue(address, out var channel))
            {
                _channels[address] = channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { LoggerFactory = loggerFactory });
            }
            return channel;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_channels)
        {
            foreach (var channel in _channels.Values)
            {
                channel.Dispose();
            }
            _channels.Clear();
        }
    }
}
