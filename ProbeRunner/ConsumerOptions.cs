namespace AspireProber.ProbeRunner;

/// <summary>How one stock-stream consumer reads: its tickers, its pace and its reconnect backoff.</summary>
public sealed class ConsumerOptions
{
    /// <summary>Tickers to receive; empty: every ticker.</summary>
    public List<string> Tickers { get; set; } = [];

    /// <summary>Shortest time spent handling one update (zero: handled at once).</summary>
    public TimeSpan MinDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Longest time spent handling one update; each update takes a random time in [MinDelay, MaxDelay].</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Where the first stream starts: after this sequence (0: the oldest retained); not set: with new updates.</summary>
    public ulong? StartAfterSequence { get; set; }

    /// <summary>Seed of the handling-time RNG, so a run can be repeated.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>First wait before reconnecting after a failure; doubles per failure in a row.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest wait between reconnects.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(10);
}
