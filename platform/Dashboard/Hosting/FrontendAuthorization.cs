using Microsoft.Extensions.DependencyInjection;

namespace AspireProber.Dashboard.Hosting;

/// <summary>
/// The authorization policy of the UI endpoint's APIs (telemetry export/import). Registered here as "allow all"; the UI's
/// authentication (browser token and cookie) replaces <see cref="AddFrontendAuthorization"/>'s policy with its own.
/// </summary>
public static class FrontendAuthorization
{
    /// <summary>The policy name UI routes require.</summary>
    public const string PolicyName = "Frontend";

    /// <summary>Registers the <see cref="PolicyName"/> policy as allowing every request.</summary>
    public static IServiceCollection AddFrontendAuthorization(this IServiceCollection services) =>
        services.AddAuthorization(options => options.AddPolicy(PolicyName, policy => policy.RequireAssertion(_ => true)));
}
