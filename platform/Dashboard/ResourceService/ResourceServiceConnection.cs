namespace AspireProber.Dashboard.ResourceService;

/// <summary>Where the dashboard stands with the AppHost's resource service.</summary>
public enum ResourceServiceConnection
{
    /// <summary>No resource service is configured: the dashboard runs alone and shows telemetry only.</summary>
    Standalone,

    /// <summary>Waiting for the first snapshot.</summary>
    Connecting,

    /// <summary>The snapshot is current; changes arrive as they happen.</summary>
    Connected,

    /// <summary>The stream broke; the snapshot shows the last known state until the reconnect succeeds.</summary>
    Reconnecting,
}
