using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AspireProber.ServiceDefaults.Tests.Infrastructure;

/// <summary>
/// A real service on loopback built the way every AspireProber service is: AddServiceDefaults, then
/// MapDefaultEndpoints. Without Kestrel configuration it gets the defaults' grpc and http endpoints on ports the OS picks.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    private TestApp(WebApplication app)
    {
        App = app;
        var httpPort = app.Services.GetRequiredService<KestrelEndpoints>().HttpPort
            ?? throw new InvalidOperationException("The http endpoint was not bound.");
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(address => new Uri(address)).ToList();
        HttpAddress = addresses.Single(address => address.Port == httpPort);
        GrpcAddress = addresses.Single(address => address.Port != httpPort);
        Http = new HttpClient { BaseAddress = HttpAddress };
        Channel = GrpcChannel.ForAddress(GrpcAddress);
    }

    public const string ApplicationName = "AspireProber.TestService";

    public WebApplication App { get; }

    public Uri HttpAddress { get; }

    public Uri GrpcAddress { get; }

    /// <summary>An HTTP/1.1 client of the http endpoint.</summary>
    public HttpClient Http { get; }

    /// <summary>A gRPC channel to the grpc endpoint.</summary>
    public GrpcChannel Channel { get; }

    public static async Task<TestApp> StartAsync(
        IDictionary<string, string?>? configuration = null,
        Action<WebApplicationBuilder>? configureBuilder = null,
        Action<WebApplication>? configureApp = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = ApplicationName,
            EnvironmentName = Environments.Production,
            Args = [],
        });
        builder.Logging.ClearProviders();
        if (configuration is not null)
        {
            builder.Configuration.AddInMemoryCollection(configuration);
        }
        builder.AddServiceDefaults();
        configureBuilder?.Invoke(builder);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        configureApp?.Invoke(app);
        await app.StartAsync();
        try
        {
            return new TestApp(app);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>GETs /metrics, optionally asking for OpenMetrics.</summary>
    public async Task<(string Text, string ContentType)> ScrapeAsync(bool openMetrics = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (openMetrics)
        {
            // What Prometheus 2.x sends.
            request.Headers.TryAddWithoutValidation("Accept",
                "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
        }
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType!.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
