using System.Collections.Concurrent;
using Aspire.Hosting.ApplicationModel;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Aspire.Hosting.Orchestration;

/// <summary>Runs health checks: HTTP GETs over one shared client, grpc.health.v1 Checks over one channel per address.</summary>
internal sealed class HealthProbe : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(2);

    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = s_timeout }) { Timeout = s_timeout };
    private readonly ConcurrentDictionary<string, GrpcChannel> _channels = new();

    public async Task<bool> CheckAsync(HealthCheckAnnotation check, AllocatedEndpoint endpoint, CancellationToken cancellationToken)
    {
        try
        {
            if (check.Kind == HealthCheckKind.Http)
            {
                using var response = await _http.GetAsync(endpoint.Url + check.Path, cancellationToken).ConfigureAwait(false);
                return (int)response.StatusCode == check.StatusCode;
            }
            var channel = _channels.GetOrAdd(endpoint.Url, url => GrpcChannel.ForAddress(url, new GrpcChannelOptions
            {
                // Loopback only: an http_proxy from the environment must not see these calls.
                HttpHandler = new SocketsHttpHandler { UseProxy = false, ConnectTimeout = s_timeout },
                // Polled while the process starts: a refused connection must not park the address for a second.
                UnavailableAddressBackoff = TimeSpan.Zero,
            }));
            var reply = await new Health.HealthClient(channel)
                .CheckAsync(new HealthCheckRequest { Service = check.GrpcService }, deadline: DateTime.UtcNow + s_timeout, cancellationToken: cancellationToken)
                .ResponseAsync.ConfigureAwait(false);
            return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or RpcException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        foreach (var channel in _channels.Values)
        {
            channel.Dispose();
        }
    }
}
