using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AspireProber.Dashboard.Authentication;

/// <summary>The browser UI's authentication: the login endpoint, the cookie, and the <c>Frontend</c> policy.</summary>
public static class FrontendAuthentication
{
    /// <summary>
    /// The authorization policy of every UI page, fragment and browser-facing API: "signed in with the browser token's
    /// cookie" in BrowserToken mode, "anyone" in Unsecured mode.
    /// </summary>
    public const string PolicyName = "Frontend";

    /// <summary>The cookie authentication scheme's name.</summary>
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;

    private const string TokenFingerprintClaim = "dashboard.token";

    internal static IServiceCollection AddFrontendAuthentication(this IServiceCollection services, FrontendOptions options)
    {
        var token = new BrowserToken(options);
        services.AddSingleton(token);
        services.AddHostedService<LoginUrlLogger>();
        services.AddAuthentication(Scheme).AddCookie(Scheme, cookie =>
        {
            cookie.Cookie.Name = ".AspireProber.Dashboard";
            cookie.Cookie.HttpOnly = true;
            // Lax, not Strict: the login URL is opened from a terminal or another app, and the cookie must survive that first navigation.
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.ExpireTimeSpan = TimeSpan.FromDays(3);
            cookie.LoginPath = "/login";
            cookie.Events.OnRedirectToLogin = context =>
            {
                // Pages send the browser to the login page; fragments, events and APIs answer 401 for their caller to handle.
                if (IsBrowserPage(context.Request))
                {
                    context.Response.Redirect("/login");
                }
                else
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                }
                return Task.CompletedTask;
            };
            cookie.Events.OnValidatePrincipal = context =>
            {
                if (context.Principal?.FindFirstValue(TokenFingerprintClaim) != token.Fingerprint)
                {
                    context.RejectPrincipal();
                }
                return Task.CompletedTask;
            };
        });
        services.AddAuthorizationBuilder().AddPolicy(PolicyName, policy =>
        {
            if (token.Mode == FrontendAuthMode.Unsecured)
            {
                policy.RequireAssertion(_ => true);
            }
            else
            {
                policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser();
            }
        });
        return services;
    }

    /// <summary><c>GET /login?t={token}</c>: signs in and goes to <c>/</c>; without a token, or with a wrong one, shows the login page.</summary>
    internal static async Task<IResult> LoginAsync(HttpContext context, BrowserToken token, string? t, ILoggerFactory loggers)
    {
        if (token.Mode == FrontendAuthMode.Unsecured)
        {
            return TypedResults.Redirect("/");
        }
        if (t is null)
        {
            return new RazorComponentResult<LoginPage>();
        }
        if (!token.Matches(t))
        {
            loggers.CreateLogger(typeof(FrontendAuthentication).FullName!).LogWarning("Rejected a dashboard login with a wrong browser token from {RemoteAddress}", context.Connection.RemoteIpAddress);
            return new RazorComponentResult<LoginPage>(new { Error = "That token is not this dashboard's. Use the login URL printed when the dashboard started." })
            {
                StatusCode = StatusCodes.Status401Unauthorized,
            };
        }
        var identity = new ClaimsIdentity([new Claim(TokenFingerprintClaim, token.Fingerprint)], Scheme);
        await context.SignInAsync(Scheme, new ClaimsPrincipal(identity));
        return TypedResults.Redirect("/");
    }

    private static bool IsBrowserPage(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && !request.Path.StartsWithSegments("/api")
        && !request.Path.StartsWithSegments("/ui");
}
