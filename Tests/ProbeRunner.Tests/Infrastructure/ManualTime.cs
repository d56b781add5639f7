namespace AspireProber.ProbeRunner.Tests.Infrastructure;

/// <summary>A clock that moves only when the test says so (timestamps only: what elapsed-time code reads).</summary>
public sealed class ManualTime : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    /// <summary>Moves the clock on by <paramref name="elapsed"/>.</summary>
    public void Advance(TimeSpan elapsed) => Interlocked.Add(ref _ticks, elapsed.Ticks);
}
