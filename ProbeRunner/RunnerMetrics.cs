using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;

namespace AspireProber.ProbeRunner;

/// <summary>The runner's instruments (Meter <c>AspireProber.Runner</c>): probe calls per replica and stock updates per consumer.</summary>
public sealed class RunnerMetrics
{
    /// <summary>The Meter name telemetry setups subscribe to.</summary>
    public const string MeterName = "AspireProber.Runner";

    private readonly Counter<long> _probeCalls;
    private readonly Histogram<double> _probeCallDuration;
    private readonly Counter<long> _updatesReceived;
    private readonly Counter<long> _updatesGap;

    public RunnerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _probeCalls = meter.CreateCounter<long>("runner.probe.calls", "{call}", "Probe calls to prober replicas, by replica and gRPC status.");
        _probeCallDuration = meter.CreateHistogram<double>("runner.probe.call.duration", "s", "Duration of Probe calls to each prober replica, failed calls included.");
        // Prometheus: stock_updates_received_total{consumer}, paired with the stock service's stock_updates_sent_total{consumer}.
        _updatesReceived = meter.CreateCounter<long>("stock.updates.received", "{update}", "Stock updates received, by consumer.");
        _updatesGap = meter.CreateCounter<long>("stock.updates.gap", "{update}", "Stock updates skipped by a jump in sequence, by consumer.");
    }

    /// <summary>Records one replica's Probe call.</summary>
    public void ProbeCallCompleted(string replica, StatusCode status, TimeSpan duration)
    {
        _probeCalls.Add(1, new TagList { { "replica", replica }, { "status", StatusCodeNames.Of(status) } });
        _probeCallDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("replica", replica));
    }

    /// <summary>Counts one update a consumer received.</summary>
    public void UpdateReceived(string consumer) => _updatesReceived.Add(1, new KeyValuePair<string, object?>("consumer", consumer));

    /// <summary>Counts updates a consumer never saw (a jump in sequence).</summary>
    public void UpdatesMissed(string consumer, long count) => _updatesGap.Add(count, new KeyValuePair<string, object?>("consumer", consumer));
}
