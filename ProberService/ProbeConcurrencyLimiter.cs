using Microsoft.Extensions.Options;

namespace AspireProber.ProberService;

/// <summary>Caps the probes this replica runs at once (<c>Prober:MaxConcurrentProbes</c>); past it, calls fail fast rather than queue.</summary>
public sealed class ProbeConcurrencyLimiter(IOptions<ProberOptions> options)
{
    private readonly int _limit = options.Value.MaxConcurrentProbes;
    private int _running;

    /// <summary>Probes running now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>A slot for one probe, released on dispose; throws RESOURCE_EXHAUSTED when none is free.</summary>
    public Lease Acquire()
    {
        if (Interlocked.Increment(ref _running) > _limit)
        {
            Interlocked.Decrement(ref _running);
            throw ProberErrors.TooManyProbes(_limit);
        }
        return new Lease(this);
    }

    /// <summary>One probe's slot.</summary>
    public readonly struct Lease(ProbeConcurrencyLimiter owner) : IDisposable
    {
        /// <summary>Frees the slot.</summary>
        public void Dispose() => Interlocked.Decrement(ref owner._running);
    }
}
