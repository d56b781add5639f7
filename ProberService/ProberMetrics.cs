using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using AspireProber.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace AspireProber.ProberService;

/// <summary>
/// The prober's metrics (Meter <c>AspireProber.Prober</c>): the gauge the exercise asks for (mean latency of the last
/// probe per endpoint), a histogram of attempt durations and a counter of attempts by outcome. The <c>endpoint</c>
/// label is a <see cref="BoundedLabel"/>: at most <c>Prober:MaxEndpointLabels</c> values, each at most
/// <see cref="TelemetryValues.MaxLength"/> characters, then <c>other</c>, so clients cannot grow the series or the scrape.
/// </summary>
public sealed class ProberMetrics
{
    /// <summary>The Meter's name (telemetry setups subscribe to it).</summary>
    public const string MeterName = "AspireProber.Prober";

    // Probe latencies span sub-millisecond loopback to multi-second timeouts.
    // Seconds, Prometheus' base unit (promtool flags anything else); the SDK's default buckets are for milliseconds.
    private static readonly double[] DurationBuckets = [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly Histogram<double> _attemptDuration;
    private readonly Counter<long> _attempts;
    private readonly ConcurrentDictionary<string, double> _lastProbeLatency = new();
    private readonly BoundedLabel _endpointLabels;

    /// <summary>Creates the instruments on a Meter from <paramref name="meterFactory"/>.</summary>
    public ProberMetrics(IMeterFactory meterFactory, IOptions<ProberOptions> options)
    {
        _endpointLabels = new BoundedLabel(options.Value.MaxEndpointLabels);
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("prober.probe.latency", ObserveLastProbeLatency, "s",
            "Mean full-body latency of the last probe of each endpoint.");
        _attemptDuration = meter.CreateHistogram("prober.attempt.duration", "s",
            "Duration of each probe attempt, until the body was read or the attempt failed.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _attempts = meter.CreateCounter<long>("prober.attempts", "{attempt}", "Probe attempts by outcome.");
    }

    /// <summary>The <c>endpoint</c> label value of <paramref name="plan"/>: its <see cref="ProbePlan.SafeEndpoint"/>, or <see cref="BoundedLabel.Other"/> once the bound is reached.</summary>
    public string EndpointLabel(ProbePlan plan) => _endpointLabels.Of(plan.SafeEndpoint);

    /// <summary>Records one attempt.</summary>
    public void RecordAttempt(string endpointLabel, string outcome, TimeSpan duration)
    {
        var endpoint = new KeyValuePair<string, object?>("endpoint", endpointLabel);
        var outcomeTag = new KeyValuePair<string, object?>("outcome", outcome);
        _attemptDuration.Record(duration.TotalSeconds, endpoint, outcomeTag);
        _attempts.Add(1, endpoint, outcomeTag);
    }

    /// <summary>Sets the gauge of <paramref name="endpointLabel"/> to the mean latency of the probe that just ended.</summary>
    public void RecordProbe(string endpointLabel, double averageLatencyMs) => _lastProbeLatency[endpointLabel] = averageLatencyMs / 1000;

    private IEnumerable<Measurement<double>> ObserveLastProbeLatency() =>
        _lastProbeLatency.Select(entry => new Measurement<double>(entry.Value, new KeyValuePair<string, object?>("endpoint", entry.Key)));
}
