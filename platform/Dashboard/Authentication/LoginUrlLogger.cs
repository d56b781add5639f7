using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace AspireProber.Dashboard.Authentication;

/// <summary>Logs the login URL once the server listens, so a user (or a parent process) can find it.</summary>
internal sealed class LoginUrlLogger(BrowserToken token, IServer server, IHostApplicationLifetime lifetime, ILogger<LoginUrlLogger> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (token.Mode == FrontendAuthMode.BrowserToken)
        {
            lifetime.ApplicationStarted.Register(LogLoginUrl);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void LogLoginUrl()
    {
        // The UI endpoint is the first one Kestrel binds (ASPNETCORE_URLS, or the first endpoint configured).
        var ui = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:18888";
        logger.LogInformation("Login to the dashboard at {LoginUrl}", token.LoginUrl(ui));
        if (token.Generated)
        {
            logger.LogInformation("No browser token was configured (Dashboard__Frontend__BrowserToken); this run generated one");
        }
    }
}
