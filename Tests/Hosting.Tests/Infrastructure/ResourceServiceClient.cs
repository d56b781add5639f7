using Aspire.DashboardService.Proto.V1;
using Aspire.Hosting;
using Grpc.Core;
using Grpc.Net.Client;

namespace AspireProber.Hosting.Tests.Infrastructure;

/// <summary>A real gRPC client of a started application's resource service, as the dashboard uses it.</summary>
internal sealed class ResourceServiceClient : IDisposable
{
    private readonly GrpcChannel _channel;

    public ResourceServiceClient(DistributedApplication app)
    {
        _channel = GrpcChannel.ForAddress(app.ResourceServiceUrl ?? throw new InvalidOperationException("The application has not started."),
            new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { UseProxy = false } });
        Client = new DashboardService.DashboardServiceClient(_channel);
    }

    public DashboardService.DashboardServiceClient Client { get; }

    /// <summary>Reads WatchResources until <paramref name="until"/> holds for the latest state of every resource seen (initial data, then upserts).</summary>
    public async Task<Dictionary<string, Resource>> WatchUntilAsync(Func<IReadOnlyDictionary<string, Resource>, bool> until, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(AppExtensions.Timeout);
        using var call = Client.WatchResources(new WatchResourcesRequest(), cancellationToken: timeout.Token);
        var resources = new Dictionary<string, Resource>();
        await foreach (var update in call.ResponseStream.ReadAllAsync(timeout.Token))
        {
            var changed = update.KindCase == WatchResourcesUpdate.KindOneofCase.InitialData
                ? update.InitialData.Resources
                : update.Changes.Value.Select(c => c.Upsert);
            foreach (var resource in changed)
            {
                resources[resource.Name] = resource;
            }
            if (until(resources))
            {
                return resources;
            }
        }
        throw new InvalidOperationException("WatchResources ended.");
    }

    public void Dispose() => _channel.Dispose();
}
