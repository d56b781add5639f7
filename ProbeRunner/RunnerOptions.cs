namespace AspireProber.ProbeRunner;

/// <summary>The runner's settings, bound from the <c>Runner</c> configuration section.</summary>
public sealed class RunnerOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Runner";

    /// <summary>Time between probe rounds.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Deadline of each replica's Probe call; also ProbeAll's default.</summary>
    public TimeSpan ProbeDeadline { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long the first round waits for every prober replica to answer its health check (SERVING): started with them,
    /// the runner would otherwise pay their start-up inside its first calls' deadlines and report failures that are none.
    /// </summary>
    public TimeSpan StartupGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The key the prober replicas require, when they require one (sent as <c>authorization: Bearer &lt;key&gt;</c>).</summary>
    public string? ProberApiKey { get; set; }

    /// <summary>
    /// ProbeAll and ProbeAny calls the runner serves at once; more get RESOURCE_EXHAUSTED. Each ProbeAll takes a slot
    /// on every prober replica, so without this bound a few callers could take every replica's slots from everyone.
    /// </summary>
    public int MaxConcurrentCalls { get; set; } = 8;

    /// <summary>Of those, how many one caller (one peer address) may run at once.</summary>
    public int MaxConcurrentCallsPerCaller { get; set; } = 2;

    /// <summary>Attempts each replica makes per probe.</summary>
    public int Repetitions { get; set; } = 3;

    /// <summary>
    /// What to probe: absolute URLs, or paths such as <c>/slow?ms=50</c> resolved against the ProbeTarget's address
    /// (<c>services__probetarget__http__0</c>).
    /// </summary>
    public List<string> Targets { get; set; } = [];

    /// <summary>Stock-stream consumers by name (e.g. <c>fast</c>, <c>slow</c>); each runs its own stream.</summary>
    public Dictionary<string, ConsumerOptions> Consumers { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
