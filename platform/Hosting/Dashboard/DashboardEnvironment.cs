using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting.Dashboard;

/// <summary>
/// The dashboard's configuration, in the variables Aspire's dashboard reads: where to listen (ASPNETCORE_URLS,
/// DOTNET_DASHBOARD_OTLP_ENDPOINT_URL, DOTNET_DASHBOARD_OTLP_HTTP_ENDPOINT_URL), its secrets (Dashboard__Frontend__*,
/// Dashboard__Otlp__*) and the resource service (DOTNET_RESOURCE_SERVICE_ENDPOINT_URL).
/// </summary>
internal static class DashboardEnvironment
{
    public static void Add(IDictionary<string, string?> env, IResource dashboard, DashboardAnnotation annotation, string? resourceServiceUrl)
    {
        env["ASPNETCORE_URLS"] = dashboard.GetAllocatedEndpoint(DashboardAnnotation.UiEndpointName).Url;
        env["DOTNET_DASHBOARD_OTLP_ENDPOINT_URL"] = dashboard.GetAllocatedEndpoint(DashboardAnnotation.OtlpGrpcEndpointName).Url;
        env["DOTNET_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = dashboard.GetAllocatedEndpoint(DashboardAnnotation.OtlpHttpEndpointName).Url;
        env["DOTNET_RESOURCE_SERVICE_ENDPOINT_URL"] = resourceServiceUrl;
        env["Dashboard__Frontend__AuthMode"] = "BrowserToken";
        env["Dashboard__Frontend__BrowserToken"] = annotation.BrowserToken;
        env["Dashboard__Otlp__AuthMode"] = "ApiKey";
        env["Dashboard__Otlp__PrimaryApiKey"] = annotation.OtlpApiKey;
        // Inherited from an AppHost launch profile they would fight ASPNETCORE_URLS.
        env["ASPNETCORE_HTTP_PORTS"] = null;
        env["ASPNETCORE_HTTPS_PORTS"] = null;
    }

    /// <summary>What a browser opens to sign in: <c>{ui}/login?t={token}</c>.</summary>
    public static string LoginUrl(IResource dashboard, DashboardAnnotation annotation) =>
        $"{dashboard.GetAllocatedEndpoint(DashboardAnnotation.UiEndpointName).Url}/login?t={annotation.BrowserToken}";
}
