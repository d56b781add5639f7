using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

/// <summary>
/// The addresses of the Aspire dashboard, which the launch profile (<c>AppHost/Properties/launchSettings.json</c>) sets:
/// a wrong one is named with its fix before anything starts. Aspire itself fails later, deep in the dashboard's
/// start, with "Invalid url" and without saying which setting held it.
/// </summary>
public static class DashboardAddresses
{
    /// <summary>The settings that hold one or more URLs (ASPNETCORE_URLS may list several, separated by ';').</summary>
    public static readonly string[] UrlSettings =
    [
        "ASPNETCORE_URLS",
        "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL",
        "ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL",
        "ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL",
    ];

    /// <summary>Throws, naming the setting, when one of <see cref="UrlSettings"/> holds something that is no http(s) URL.</summary>
    public static IDistributedApplicationBuilder CheckDashboardAddresses(this IDistributedApplicationBuilder builder)
    {
        foreach (var setting in UrlSettings)
        {
            if (builder.Configuration[setting] is not { } value)
            {
                continue;
            }
            foreach (var url in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!IsListenUrl(url))
                {
                    throw new ArgumentException($"{setting} is '{value}' (AppHost/Properties/launchSettings.json, or the environment): "
                        + "give http:// or https:// URLs with a host and a port, e.g. http://localhost:19889.");
                }
            }
        }
        return builder;
    }

    // Kestrel also binds "http://*:port" and "http://+:port", whose hosts are no host names to Uri.
    private static bool IsListenUrl(string url) =>
        Uri.TryCreate(url.Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal),
            UriKind.Absolute, out var parsed)
        && parsed.Scheme is "http" or "https"
        && parsed.Host.Length > 0;
}
