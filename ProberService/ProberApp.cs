using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AspireProber.ProberService;

/// <summary>Builds the prober app; Program.cs runs it, tests host it on a free port.</summary>
public static class ProberApp
{
    /// <summary>The app with its endpoints mapped; <paramref name="configure"/> lets a host adjust the builder first.</summary>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null) =>
        Create(new WebApplicationOptions { Args = args }, configure);

    /// <summary>The app built from <paramref name="options"/> (tests set a content root without appsettings files).</summary>
    public static WebApplication Create(WebApplicationOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(options);
        builder.AddServiceDefaults();
        builder.Services.AddProber(builder.Configuration);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapGrpcService<ProberServiceImpl>();
        app.MapDefaultEndpoints();
        return app;
    }
}
