using AspireProber.Stock.V1;
using AspireProber.StockStreamService;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AspireProber.StockStreamService.Tests.Infrastructure;

/// <summary>
/// The real service (<see cref="StockStreamApp.Create"/>) on Kestrel at 127.0.0.1 and a free port (h2c), with a
/// client over a <see cref="GrpcChannel"/> and a listener on its meters; stopped on dispose.
/// </summary>
public sealed class StockTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;

    private StockTestServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        _channel = GrpcChannel.ForAddress(address);
        Client = new StockService.StockServiceClient(_channel);
        Meters = new ServerMeters(app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
    }

    /// <summary>The grpc endpoint: http://127.0.0.1 and the port the OS gave it.</summary>
    public Uri Address { get; }

    public StockService.StockServiceClient Client { get; }

    public ServerMeters Meters { get; }

    public StockLog Log => _app.Services.GetRequiredService<StockLog>();

    public ConsumerStreams Streams => _app.Services.GetRequiredService<ConsumerStreams>();

    /// <summary>Starts the service; <paramref name="settings"/> are configuration entries, e.g. "Stock:UpdatesPerSecond=0".</summary>
    public static async Task<StockTestServer> StartAsync(params string[] settings)
    {
        string[] args =
        [
            "--Kestrel:Endpoints:grpc:Url=http://127.0.0.1:0",
            "--Kestrel:Endpoints:grpc:Protocols=Http2",
            .. settings.Select(setting => "--" + setting),
        ];
        var app = StockStreamApp.Create(args, builder =>
        {
            // appsettings.json pins ports 5200/5201 for running alone; tests run side by side on free ports.
            foreach (var json in builder.Configuration.Sources.OfType<JsonConfigurationSource>().ToList())
            {
                builder.Configuration.Sources.Remove(json);
            }
            builder.Logging.ClearProviders();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new StockTestServer(app, new Uri(address));
    }

    /// <summary>
    /// A client whose connections come from <paramref name="source"/>, so the service counts it as another caller than
    /// <see cref="Client"/>; disposing the channel closes them.
    /// </summary>
    public (StockService.StockServiceClient Client, GrpcChannel Channel) ClientFrom(System.Net.IPAddress source)
    {
        var channel = GrpcChannel.ForAddress(Address, new GrpcChannelOptions { HttpHandler = AspireProber.Tests.Shared.SourceAddress.Handler(source) });
        return (new StockService.StockServiceClient(channel), channel);
    }

    /// <summary>GETs /metrics (see <see cref="AspireProber.Tests.Shared.MetricsScrape"/>).</summary>
    public Task<string> ScrapeMetricsAsync() => AspireProber.Tests.Shared.MetricsScrape.GetAsync(Address);

    /// <summary>Stops the server as the host does on shutdown (streams see the application stopping).</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Meters.Dispose();
        _channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
