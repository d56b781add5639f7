using Aspire.DashboardService.Proto.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace AspireProber.Dashboard.ResourceService;

/// <summary>
/// The dashboard's side of the AppHost's resource service: keeps <see cref="ResourceSnapshot"/> current from
/// WatchResources (reconnecting with backoff and <c>is_reconnect</c> when the stream breaks) and runs commands.
/// </summary>
public sealed class ResourceServiceClient : BackgroundService
{
    private readonly ResourceServiceOptions _options;
    private readonly ResourceSnapshot _snapshot;
    private readonly ILogger<ResourceServiceClient> _logger;
    private readonly GrpcChannel? _channel;

    /// <summary>Creates the client; it connects when the host starts, unless no endpoint is configured.</summary>
    public ResourceServiceClient(ResourceServiceOptions options, ResourceSnapshot snapshot, ILoggerFactory loggerFactory)
    {
        _options = options;
        _snapshot = snapshot;
        _logger = loggerFactory.CreateLogger<ResourceServiceClient>();
        if (options.Endpoint is not null)
        {
            _channel = GrpcChannel.ForAddress(options.Endpoint, new GrpcChannelOptions { LoggerFactory = loggerFactory });
            Client = new DashboardService.DashboardServiceClient(_channel);
        }
    }

    /// <summary>The generated client, or null when standalone.</summary>
    internal DashboardService.DashboardServiceClient? Client { get; }

    /// <summary>Runs <paramref name="commandName"/> on the resource; failures (also of the call itself) come back as a FAILED response with a message.</summary>
    public async Task<ResourceCommandResponse> ExecuteCommandAsync(string resourceName, string commandName, CancellationToken cancellationToken)
    {
        if (Client is null)
        {
            return Failed("The dashboard runs without a resource service; there is nothing to run commands on.");
        }
        var resource = _snapshot.Find(resourceName);
        if (resource is null)
        {
            return Failed($"No resource is named '{resourceName}'.");
        }
        try
        {
            var response = await Client.ExecuteResourceCommandAsync(new ResourceCommandRequest
            {
                ResourceName = resourceName,
                ResourceType = resource.ResourceType,
                CommandName = commandName,
            }, cancellationToken: cancellationToken);
            _logger.LogInformation("Command {Command} on {Resource} ended {Kind}", commandName, resourceName, response.Kind);
            return response;
        }
        catch (RpcException e)
        {
            _logger.LogWarning("Command {Command} on {Resource} failed: {StatusCode} {Detail}", commandName, resourceName, e.StatusCode, e.Status.Detail);
            return Failed($"{e.StatusCode}: {e.Status.Detail}");
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Client is null)
        {
            _logger.LogInformation("No {EndpointKey} configured: the dashboard runs standalone, without resources or console logs", ResourceServiceOptions.EndpointKey);
            return;
        }
        _snapshot.SetConnection(ResourceServiceConnection.Connecting);
        var backoff = new Backoff(_options.InitialReconnectDelay, _options.MaxReconnectDelay);
        var reconnect = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (_snapshot.ApplicationName is null)
                {
                    var info = await Client.GetApplicationInformationAsync(new ApplicationInformationRequest(), cancellationToken: stoppingToken);
                    _snapshot.SetApplicationName(info.ApplicationName);
                }
                await WatchAsync(Client, reconnect, backoff, stoppingToken);
                _snapshot.SetConnection(ResourceServiceConnection.Reconnecting, "The resource service ended the stream.");
                _logger.LogWarning("The resource service ended the WatchResources stream; reconnecting");
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is RpcException or HttpRequestException or IOException)
            {
                _snapshot.SetConnection(ResourceServiceConnection.Reconnecting, e.Message);
                _logger.LogWarning("Watching resources at {Endpoint} failed ({Error}); reconnecting", _options.Endpoint, e.Message);
            }
            reconnect = true;
            try
            {
                await Task.Delay(backoff.Next(), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task WatchAsync(DashboardService.DashboardServiceClient client, bool reconnect, Backoff backoff, CancellationToken cancellationToken)
    {
        var request = new WatchResourcesRequest();
        if (reconnect)
        {
            request.IsReconnect = true;
        }
        using var call = client.WatchResources(request, cancellationToken: cancellationToken);
        await foreach (var update in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            switch (update.KindCase)
            {
                case WatchResourcesUpdate.KindOneofCase.InitialData:
                    _snapshot.ApplyInitialData(update.InitialData);
                    backoff.Reset();
                    _logger.LogInformation("Watching {ResourceCount} resources at {Endpoint}", update.InitialData.Resources.Count, _options.Endpoint);
                    break;
                case WatchResourcesUpdate.KindOneofCase.Changes:
                    _snapshot.ApplyChanges(update.Changes);
                    break;
            }
        }
    }

    private static ResourceCommandResponse Failed(string message) =>
        new() { Kind = ResourceCommandResponseKind.Failed, ErrorMessage = message };

    /// <inheritdoc />
    public override void Dispose()
    {
        base.Dispose();
        _channel?.Dispose();
    }
}
