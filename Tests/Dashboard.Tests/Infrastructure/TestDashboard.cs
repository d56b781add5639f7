using AspireProber.Dashboard.Hosting;
using AspireProber.Dashboard.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AspireProber.Dashboard.Tests.Infrastructure;

/// <summary>
/// The dashboard as Program.cs composes it (telemetry and UI) running in the test process on 127.0.0.1, every endpoint
/// on a port the OS picks, the UI unsecured unless <c>Dashboard:Frontend:AuthMode</c> says otherwise; stopped on dispose.
/// </summary>
public sealed class TestDashboard : IAsyncDisposable
{
    private readonly WebApplication _app;

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

    /// <summary>The UI endpoint.</summary>
    public Uri UiUrl { get; }

    /// <summary>The OTLP/gRPC endpoint.</summary>
    public Uri OtlpGrpcUrl { get; }

    /// <summary>The OTLP/HTTP endpoint.</summary>
    public Uri OtlpHttpUrl { get; }

    /// <summary>Starts a dashboard with <paramref name="settings"/> added to its configuration (e.g. "Dashboard:Otlp:AuthMode").</summary>
    public static async Task<TestDashboard> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            [DashboardEndpoints.OtlpGrpcUrlKey] = "http://127.0.0.1:0",
            [DashboardEndpoints.OtlpHttpUrlKey] = "http://127.0.0.1:0",
            ["Dashboard:Frontend:AuthMode"] = "Unsecured",
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
        await app.StartAsync();
        return new TestDashboard(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
