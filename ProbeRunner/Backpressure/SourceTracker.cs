namespace AspireProber.ProbeRunner.Backpressure;

/// <summary>
/// What the backpressure view remembers between readings about its sources: that Prometheus failed a moment ago (so the
/// next readings go straight to the services instead of waiting for it again), and which source it read last (so a
/// switch is logged once, not on every poll). Safe for several pages polling at once.
/// </summary>
public sealed partial class SourceTracker(TimeProvider time, ILogger<SourceTracker> logger)
{
    /// <summary>How long after a failure Prometheus is left alone; the page polls every 2 s.</summary>
    public static readonly TimeSpan PrometheusRetryDelay = TimeSpan.FromSeconds(15);

    private readonly Lock _gate = new();
    private string? _prometheusProblem;
    private long _prometheusFailedAt;
    private bool _hasRead;
    private FlowSource? _lastSource;

    /// <summary>Why Prometheus failed, while that is less than <see cref="PrometheusRetryDelay"/> ago; otherwise null.</summary>
    public string? RecentPrometheusProblem
    {
        get
        {
            lock (_gate)
            {
                return _prometheusProblem is not null && time.GetElapsedTime(_prometheusFailedAt) < PrometheusRetryDelay ? _prometheusProblem : null;
            }
        }
    }

    /// <summary>Remembers that Prometheus could not be read, and why.</summary>
    public void PrometheusFailed(string problem)
    {
        lock (_gate)
        {
            _prometheusProblem = problem;
            _prometheusFailedAt = time.GetTimestamp();
        }
    }

    /// <summary>A reading came from Prometheus.</summary>
    public void ReadFromPrometheus(string address)
    {
        if (SwitchedTo(FlowSource.Prometheus))
        {
            LogReadingPrometheus(address);
        }
    }

    /// <summary>A reading came from the services because of <paramref name="prometheusProblem"/>.</summary>
    public void ReadFromServices(string prometheusProblem)
    {
        if (SwitchedTo(FlowSource.Services))
        {
            LogReadingServices(prometheusProblem);
        }
    }

    /// <summary>Neither source could be read.</summary>
    public void ReadNothing(string prometheusProblem, string stockProblem)
    {
        if (SwitchedTo(null))
        {
            LogReadingNothing(prometheusProblem, stockProblem);
        }
    }

    private bool SwitchedTo(FlowSource? source)
    {
        lock (_gate)
        {
            var switched = !_hasRead || _lastSource != source;
            _hasRead = true;
            _lastSource = source;
            return switched;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Backpressure view reads Prometheus at {Address}")]
    private partial void LogReadingPrometheus(string address);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Backpressure view reads the stock service's /metrics and the runner's consumers instead of Prometheus: {PrometheusProblem}")]
    private partial void LogReadingServices(string prometheusProblem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Backpressure view has nothing to show: {PrometheusProblem} {StockProblem}")]
    private partial void LogReadingNothing(string prometheusProblem, string stockProblem);
}
