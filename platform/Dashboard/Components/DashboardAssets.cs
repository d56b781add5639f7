namespace AspireProber.Dashboard.Components;

/// <summary>URLs of the dashboard's own style sheet and script, served from resources embedded in the assembly.</summary>
internal static class DashboardAssets
{
    /// <summary>Path prefix of the embedded wwwroot files.</summary>
    public const string RequestPath = "/ui/assets";

    /// <summary>The one style sheet.</summary>
    public const string StyleSheet = RequestPath + "/dashboard.css";

    /// <summary>The live-update script (see wwwroot/live.js).</summary>
    public const string LiveScript = RequestPath + "/live.js";
}
