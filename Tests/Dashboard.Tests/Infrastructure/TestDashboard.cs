using System.Net;
using AspireProber.Dashboard.Hosting;
using AspireProber.Dashboard.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AspireProber.Dashboard.Tests.Infrastructure;

/// <summary>
/// The dashboard as Program.cs composes it (telemetry and UI) running in the test process on 127.0.0.1, every endpoint
/// on a port the OS picks; the UI unsecured unless the test asks for the browser-token login. Configuration comes only
/// from the test (no environment variables), so a developer's shell cannot change what a test sees. Stopped on dispose.
/// </summary>
public sealed class TestDashboard : IAsyncDisposable
{
    /// <summary>The browser token of dashboards started with <c>requireLogin</c>, unless the test gives another.</summary>
    public const string Token = "test-token-7f3a";

    private readonly WebApplication _app;
    private int _disposed;

    private TestDashboard(WebApplication app)
    {
        _app = app;
        var endpoints = app.Services.GetRequiredService<DashboardEndpoints>();
        UiUrl = new Uri(endpoints.GetUrl(DashboardEndpointKind.Ui));
        OtlpGrpcUrl = new Uri(endpoints.GetUrl(DashboardEndpointKind.OtlpGrpc));
        OtlpHttpUrl = new Uri(endpoints.GetUrl(DashboardEndpointKind.OtlpHttp));
    }

    /// <summary>The dashboard's store.</summary>
    public TelemetryStore Store => _app.Services.GetRequiredService<TelemetryStore>();

    /// <summary>The dashboard's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The UI endpoint.</summary>
    public Uri UiUrl { get; }

    /// <summary>The OTLP/gRPC endpoint.</summary>
    public Uri OtlpGrpcUrl { get; }

    /// <summary>The OTLP/HTTP endpoint.</summary>
    public Uri OtlpHttpUrl { get; }

    /// <summary>Starts a dashboard.</summary>
    /// <param name="settings">Added to its configuration (e.g. "Dashboard:Otlp:AuthMode").</param>
    /// <param name="resourceService">The resource service to connect to; null runs the dashboard standalone.</param>
    /// <param name="requireLogin">BrowserToken mode with <paramref name="token"/> instead of Unsecured.</param>
    /// <param name="token">The browser token when <paramref name="requireLogin"/> is set.</param>
    public static async Task<TestDashboard> StartAsync(IDictionary<string, string?>? settings = null, Uri? resourceService = null, bool requireLogin = false, string token = Token)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Production" });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            [DashboardEndpoints.OtlpGrpcUrlKey] = "http://127.0.0.1:0",
            [DashboardEndpoints.OtlpHttpUrlKey] = "http://127.0.0.1:0",
            ["Dashboard:Frontend:AuthMode"] = requireLogin ? "BrowserToken" : "Unsecured",
            ["Dashboard:Frontend:BrowserToken"] = requireLogin ? token : null,
            ["DOTNET_RESOURCE_SERVICE_ENDPOINT_URL"] = resourceService?.ToString(),
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }
        builder.Logging.ClearProviders();
        builder.AddDashboardTelemetry();
        builder.AddDashboardUi();
        var app = builder.Build();
        app.MapDashboardTelemetry();
        app.MapDashboardUi();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return new TestDashboard(app);
    }

    /// <summary>An HttpClient for the UI endpoint that does not follow redirects (so tests see them).</summary>
    public HttpClient CreateClient(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies ?? new CookieContainer(), UseCookies = true }) { BaseAddress = UiUrl };

    /// <summary>Stops the dashboard; later calls do nothing (tests may stop it early and still dispose it).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
