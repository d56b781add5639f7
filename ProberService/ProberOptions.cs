namespace AspireProber.ProberService;

/// <summary>The prober's settings (configuration section <c>Prober</c>).</summary>
public sealed class ProberOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Prober";

    /// <summary>Time limit of one attempt when the request sets none.</summary>
    public TimeSpan DefaultAttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest attempt timeout a request may ask for.</summary>
    public TimeSpan MaxAttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest one probe may run, whatever the call's deadline (none, or a later one): a request whose
    /// <c>repetitions × attempt_timeout</c> could exceed it is refused, and a probe still running when it passes ends
    /// with DEADLINE_EXCEEDED. So no caller holds one of this replica's slots for longer.
    /// </summary>
    public TimeSpan MaxProbeDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most attempts one probe may ask for.</summary>
    public int MaxRepetitions { get; set; } = 1000;

    /// <summary>Probes this replica runs at once; more get RESOURCE_EXHAUSTED, so one client cannot starve the others.</summary>
    public int MaxConcurrentProbes { get; set; } = 16;

    /// <summary>Of those, how many one caller (one peer address) may run at once; more get RESOURCE_EXHAUSTED for that caller alone.</summary>
    public int MaxConcurrentProbesPerCaller { get; set; } = 4;

    /// <summary>Redirects followed per attempt (each hop passes the request-forgery guard).</summary>
    public int MaxRedirects { get; set; } = 10;

    /// <summary>
    /// The longest endpoint URL a request may give, in characters: 8 KB, the request-line limit of common servers
    /// (Kestrel, nginx), so no probe URL a target could accept is refused.
    /// </summary>
    public int MaxEndpointLength { get; set; } = 8192;

    /// <summary>Distinct <c>endpoint</c> label values in metrics; later endpoints are labelled <c>other</c>.</summary>
    public int MaxEndpointLabels { get; set; } = 20;

    /// <summary>When set, calls must carry <c>authorization: Bearer &lt;key&gt;</c>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Which target addresses may be probed.</summary>
    public TargetGuardOptions Guard { get; set; } = new();
}

/// <summary>
/// The server-side request forgery guard's lists. Link-local addresses and cloud metadata endpoints are always
/// denied unless an <see cref="Allow"/> range covers them; <see cref="Deny"/> adds ranges (e.g. private networks).
/// </summary>
public sealed class TargetGuardOptions
{
    /// <summary>CIDR ranges that may be probed even though a deny rule covers them, e.g. <c>169.254.10.0/24</c>.</summary>
    public List<string> Allow { get; set; } = [];

    /// <summary>CIDR ranges denied on top of the built-in ones, e.g. <c>10.0.0.0/8</c>.</summary>
    public List<string> Deny { get; set; } = [];
}
