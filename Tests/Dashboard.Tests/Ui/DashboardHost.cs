using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AspireProber.Dashboard.Tests.Ui;

/// <summary>The dashboard's UI in-process, wired exactly as Program.cs wires it, on 127.0.0.1 and a free port; stopped on dispose.</summary>
public sealed class DashboardHost : IAsyncDisposable
{
    /// <summary>The browser token the tests log in with.</summary>
    public const string Token = "test-token-7f3a";

    private readonly WebApplication _app;
    private int _disposed;

    private DashboardHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The UI's base address.</summary>
    public Uri Address { get; }

    /// <summary>The dashboard's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts the UI; <paramref name="resourceService"/> null runs it standalone.</summary>
    public static async Task<DashboardHost> StartAsync(Uri? resourceService, string authMode = "BrowserToken", string token = Token)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dashboard:Frontend:AuthMode"] = authMode,
            ["Dashboard:Frontend:BrowserToken"] = token,
            ["DOTNET_RESOURCE_SERVICE_ENDPOINT_URL"] = resourceService?.ToString(),
        });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.AddDashboardUi();
        var app = builder.Build();
        app.MapDashboardUi();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new DashboardHost(app, new Uri(address));
    }

    /// <summary>An HttpClient for the UI that does not follow redirects (so tests see them).</summary>
    public HttpClient CreateClient(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies ?? new CookieContainer(), UseCookies = true }) { BaseAddress = Address };

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
