namespace AspireProber.Dashboard.Authentication;

/// <summary>The <c>Dashboard:Frontend</c> configuration section (env: <c>Dashboard__Frontend__*</c>).</summary>
public sealed class FrontendOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string Section = "Dashboard:Frontend";

    /// <summary>BrowserToken (default) or Unsecured.</summary>
    public FrontendAuthMode AuthMode { get; set; } = FrontendAuthMode.BrowserToken;

    /// <summary>The token of the login URL; generated at start when BrowserToken mode has none.</summary>
    public string? BrowserToken { get; set; }
}
