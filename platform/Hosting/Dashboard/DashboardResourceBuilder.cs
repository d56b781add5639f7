using System.Reflection;
using System.Security.Cryptography;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting.Dashboard;

/// <summary>
/// Adds the dashboard to the model the way Aspire does, without a line in the AppHost's Program.cs: an executable
/// resource <c>aspire-dashboard</c> running platform/Dashboard's built dll with three endpoints (UI, OTLP/gRPC, OTLP/HTTP).
/// </summary>
internal static class DashboardResourceBuilder
{
    /// <summary>The dashboard resource's name, as in Aspire.</summary>
    public const string ResourceName = "aspire-dashboard";

    /// <summary>The assembly metadata key platform/Hosting/build/AppHostDashboard.targets writes the dashboard dll's path under.</summary>
    public const string DashboardPathMetadataKey = "aspiredashboardpath";

    /// <summary>The assembly metadata key of the dashboard's .csproj (for the image build command of a published compose file).</summary>
    public const string DashboardProjectMetadataKey = "aspiredashboardproject";

    /// <summary>
    /// Adds the dashboard unless <c>AppHost:DashboardEnabled=false</c>, or (when running rather than publishing) its dll
    /// is unknown: then the AppHost runs without one, as test hosts that do not reference the dashboard do.
    /// </summary>
    public static void AddDashboardIfEnabled(IDistributedApplicationBuilder builder, string dotnetHost, bool publishing)
    {
        var configuration = builder.Configuration;
        if (!configuration.GetValue($"{OrchestratorOptions.SectionName}:DashboardEnabled", true)
            || builder.Resources.Any(r => string.Equals(r.Name, ResourceName, StringComparison.OrdinalIgnoreCase)))
        {
            return;
        }
        var dll = configuration[$"{OrchestratorOptions.SectionName}:DashboardPath"] ?? FindDashboardPath();
        if (dll is null && !publishing)
        {
            return;
        }
        var resource = new ExecutableResource(ResourceName, dotnetHost, dll is null ? builder.AppHostDirectory : Path.GetDirectoryName(dll)!);
        var annotation = new DashboardAnnotation(NewSecret(), NewSecret());
        // Aspire's launch profiles pin the dashboard's ports with these variables; without them every port is free.
        builder.AddResource(resource)
            .WithAnnotation(annotation)
            .WithAnnotation(Endpoint(DashboardAnnotation.UiEndpointName, EndpointTransports.Http1, configuration["ASPNETCORE_URLS"]))
            .WithAnnotation(Endpoint(DashboardAnnotation.OtlpGrpcEndpointName, EndpointTransports.Http2, configuration["DOTNET_DASHBOARD_OTLP_ENDPOINT_URL"]))
            .WithAnnotation(Endpoint(DashboardAnnotation.OtlpHttpEndpointName, EndpointTransports.Http1, configuration["DOTNET_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"]))
            .WithArgs(dll is null ? [] : [dll]);
    }

    /// <summary>The path the AppHost's build recorded, when it references platform/Dashboard.</summary>
    private static string? FindDashboardPath() =>
        Assembly.GetEntryAssembly()?.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == DashboardPathMetadataKey)?.Value is { Length: > 0 } path && File.Exists(path)
            ? path
            : null;

    private static EndpointAnnotation Endpoint(string name, string transport, string? pinnedUrl) =>
        new(name, "http", transport)
        {
            // The first URL of a list like ASPNETCORE_URLS; only its port matters, the dashboard always binds loopback.
            Port = pinnedUrl?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Port > 0
                ? uri.Port
                : null,
        };

    private static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
