using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace AspireProber.Dashboard.Authentication;

/// <summary>Logs the login URL once the server listens, so a user (or a parent process) can find it; in Unsecured mode, a warning instead.</summary>
internal sealed class LoginUrlLogger(BrowserToken token, IServer server, IHostApplicationLifetime lifetime, ILogger<LoginUrlLogger> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(LogLoginUrl);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void LogLoginUrl()
    {
        // The UI endpoint is the first one Kestrel binds (ASPNETCORE_URLS, or the first endpoint configured).
        var ui = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:18888";
        if (token.Mode == FrontendAuthMode.Unsecured)
        {
            logger.LogWarning("The dashboard UI at {UiUrl} is unsecured (Dashboard__Frontend__AuthMode=Unsecured): anyone who can reach it can use it", ui);
            return;
        }
        logger.LogInformation("Login to the dashboard at {LoginUrl}", token.LoginUrl(ui));
        if (token.Generated)
        {
            logger.LogInformation("No browser token was configured (Dashboard__Frontend__BrowserToken); this run generated one");
        }
    }
}
