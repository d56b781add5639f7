namespace AspireProber.ProbeTarget;

/// <summary>What the target has seen: accepted connections and /hang requests still waiting (tests read these).</summary>
public sealed class TargetActivity
{
    private long _connectionsAccepted;
    private int _hangingRequests;

    /// <summary>TCP connections accepted since start.</summary>
    public long ConnectionsAccepted => Interlocked.Read(ref _connectionsAccepted);

    /// <summary>/hang requests whose client has not left yet.</summary>
    public int HangingRequests => Volatile.Read(ref _hangingRequests);

    internal void ConnectionAccepted() => Interlocked.Increment(ref _connectionsAccepted);

    internal void HangStarted() => Interlocked.Increment(ref _hangingRequests);

    internal void HangEnded() => Interlocked.Decrement(ref _hangingRequests);
}
