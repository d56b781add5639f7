using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AspireProber.ProbeTarget;

/// <summary>Builds the ProbeTarget app; Program.cs runs it, tests host it on a free port.</summary>
public static class ProbeTargetApp
{
    /// <summary>The app with its endpoints mapped; <paramref name="configure"/> lets a host adjust the builder first.</summary>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null) =>
        Create(new WebApplicationOptions { Args = args }, configure);

    /// <summary>The app built from <paramref name="options"/> (tests set a content root without appsettings files).</summary>
    public static WebApplication Create(WebApplicationOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(options);
        builder.AddServiceDefaults();
        builder.Services.AddSingleton<TargetActivity>();
        builder.Services.AddSingleton(sp => new FlakyDice(builder.Configuration.GetValue("ProbeTarget:Seed", FlakyDice.DefaultSeed)));
        // Counts accepted connections on every endpoint, so connection reuse is observable from outside.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen =>
            listen.Use(next => connection =>
            {
                listen.ApplicationServices.GetRequiredService<TargetActivity>().ConnectionAccepted();
                return next(connection);
            })));
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapTargetEndpoints();
        app.MapDefaultEndpoints();
        return app;
    }
}
