using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AspireProber.Dashboard.Hosting;

/// <summary>
/// Logs the bound addresses in one line once the server listens, so a parent process (the AppHost, a test) that asked
/// for port 0 can read them: <c>Dashboard endpoints: ui=... otlpGrpc=... otlpHttp=...</c>.
/// </summary>
internal sealed partial class EndpointsLog(DashboardEndpoints endpoints, IHostApplicationLifetime lifetime, ILogger<EndpointsLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => LogEndpoints(
            endpoints.GetUrl(DashboardEndpointKind.Ui),
            endpoints.GetUrl(DashboardEndpointKind.OtlpGrpc),
            endpoints.GetUrl(DashboardEndpointKind.OtlpHttp)));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard endpoints: ui={UiUrl} otlpGrpc={OtlpGrpcUrl} otlpHttp={OtlpHttpUrl}")]
    private partial void LogEndpoints(string uiUrl, string otlpGrpcUrl, string otlpHttpUrl);
}
