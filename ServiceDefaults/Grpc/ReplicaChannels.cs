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
    private readonly Dictionary<Uri, (string ServiceName, GrpcChannel Channel)> _channels = [];

    /// <summary>True when the configuration names <paramref name="serviceName"/> (see <see cref="GrpcClientDefaults.HasService"/>).</summary>
    public bool IsConfigured(string serviceName) => configuration.HasService(serviceName);

    /// <summary>The address of every replica of <paramref name="serviceName"/>'s grpc endpoint, in discovery order.</summary>
    public async Task<IReadOnlyList<Uri>> GetReplicaAddressesAsync(string serviceName, CancellationToken cancellationToken)
    {
        var source = await endpoints.GetEndpointsAsync(ServiceDiscoveryResolverFactory.QueryOf(serviceName), cancellationToken);
        var addresses = source.Endpoints
            .Select(ServiceDiscoveryResolverFactory.HostAndPort)
            .Select(hostAndPort => new UriBuilder(Uri.UriSchemeHttp, hostAndPort.Host, hostAndPort.Port).Uri)
            .ToArray();
        DisposeDeparted(serviceName, addresses);
        return addresses;
    }

    // A replica that left discovery (scaled in, moved to another port) is not called again: its channel, with the
    // connection it may still hold, is disposed rather than kept for the life of the app.
    private void DisposeDeparted(string serviceName, Uri[] current)
    {
        lock (_channels)
        {
            foreach (var (address, channel) in _channels.Where(entry => entry.Value.ServiceName == serviceName && !current.Contains(entry.Key)).ToList())
            {
                _channels.Remove(address);
                channel.Channel.Dispose();
            }
        }
    }

    /// <summary>
    /// The channel to the one replica of <paramref name="serviceName"/> at <paramref name="address"/>, created on first
    /// use; disposed when the replica leaves discovery, or with the app.
    /// </summary>
    public GrpcChannel Get(string serviceName, Uri address)
    {
        lock (_channels)
        {
            if (!_channels.TryGetValue(address, out var entry))
            {
                _channels[address] = entry = (serviceName, GrpcChannel.ForAddress(address, new GrpcChannelOptions { LoggerFactory = loggerFactory }));
            }
            return entry.Channel;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_channels)
        {
            foreach (var (_, channel) in _channels.Values)
            {
                channel.Dispose();
            }
            _channels.Clear();
        }
    }
}
