namespace AspireProber.Dashboard.ResourceService;

/// <summary>Exponential reconnect delays: initial, doubled per failure, capped; reset after a success.</summary>
internal sealed class Backoff(TimeSpan initial, TimeSpan max)
{
    private readonly TimeSpan _initial = initial;
    private TimeSpan _next = initial;

    /// <summary>The delay to wait now; the one after it is twice as long (up to the cap).</summary>
    public TimeSpan Next()
    {
        var delay = _next;
        _next = TimeSpan.FromTicks(Math.Min(max.Ticks, _next.Ticks * 2));
        return delay;
    }

    /// <summary>Starts again from the initial delay.</summary>
    public void Reset() => _next = _initial;
}
