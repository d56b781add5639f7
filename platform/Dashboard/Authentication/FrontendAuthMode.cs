namespace AspireProber.Dashboard.Authentication;

/// <summary>How the browser UI is protected (<c>Dashboard:Frontend:AuthMode</c>).</summary>
public enum FrontendAuthMode
{
    /// <summary>The user logs in once with <c>/login?t={token}</c>; a cookie authenticates later requests.</summary>
    BrowserToken,

    /// <summary>Anyone who can reach the UI may use it.</summary>
    Unsecured,
}
