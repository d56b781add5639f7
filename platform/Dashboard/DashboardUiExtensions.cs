using AspireProber.Dashboard.Authentication;
using AspireProber.Dashboard.Components;
using AspireProber.Dashboard.Components.Live;
using AspireProber.Dashboard.Components.Resources;
using AspireProber.Dashboard.Components.Telemetry;
using AspireProber.Dashboard.ResourceService;
using Microsoft.Extensions.FileProviders;

// In ASP.NET Core's namespace, like other Add/Map extensions, so Program.cs needs no using.
namespace Microsoft.AspNetCore.Builder;

/// <summary>Wires the browser UI: Razor pages (static SSR), live fragments, login, and the resource service client.</summary>
public static class DashboardUiExtensions
{
    /// <summary>
    /// Registers the UI's services: components, cookie auth and the <c>Frontend</c> policy, live updates (also of the telemetry
    /// store, which <see cref="AspireProber.Dashboard.Hosting.DashboardTelemetryExtensions.AddDashboardTelemetry"/> registers), the resource service client.
    /// </summary>
    public static WebApplicationBuilder AddDashboardUi(this WebApplicationBuilder builder)
    {
        var frontend = builder.Configuration.GetSection(FrontendOptions.Section).Get<FrontendOptions>() ?? new FrontendOptions();
        builder.Services.AddRazorComponents();
        builder.Services.AddAntiforgery();
        builder.Services.AddFrontendAuthentication(frontend);
        builder.Services.AddSingleton<LiveUpdates>();
        builder.Services.AddHostedService<TelemetryLiveBridge>();
        builder.Services.AddSingleton(ResourceServiceOptions.FromConfiguration(builder.Configuration));
        builder.Services.AddSingleton<ResourceSnapshot>();
        builder.Services.AddSingleton<ResourceServiceClient>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ResourceServiceClient>());
        builder.Services.AddSingleton<ConsoleLogs>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ConsoleLogs>());
        return builder;
    }

    /// <summary>Maps the pages, fragments, events, commands and login; pages need the <c>Frontend</c> policy.</summary>
    public static WebApplication MapDashboardUi(this WebApplication app)
    {
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new EmbeddedFileProvider(typeof(DashboardUiExtensions).Assembly, "AspireProber.Dashboard.wwwroot"),
            RequestPath = DashboardAssets.RequestPath,
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapGet("/login", FrontendAuthentication.LoginAsync).AllowAnonymous();
        app.MapRazorComponents<App>().RequireAuthorization(FrontendAuthentication.PolicyName);
        var ui = app.MapGroup("/ui").RequireAuthorization(FrontendAuthentication.PolicyName);
        ui.MapGet("/events", LiveEventsEndpoint.StreamAsync);
        ui.MapResourceEndpoints();
        ui.MapTelemetryFragments();
        return app;
    }
}
