using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using AspireProber.Prober.V1;
using AspireProber.ProberService.Tests.Infrastructure;
using static AspireProber.ProberService.Tests.Infrastructure.TestUtil;

namespace AspireProber.ProberService.Tests;

/// <summary>The prober's instruments, read with a MeterListener scoped to one test server's meters.</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task Attempts_are_counted_and_timed_by_endpoint_and_outcome_and_the_gauge_holds_the_last_mean()
    {
        await using var target = await TargetHost.StartAsync();
        await using var prober = await ProberHost.StartAsync();
        using var recorder = new MetricRecorder(prober.Services.GetRequiredService<IMeterFactory>());
        var ok = target.Url("/slow?ms=20");
        var bad = target.Url("/status/500");

        await prober.Client.ProbeAsync(new ProbeRequest { Endpoint = ok, Repetitions = 3 });
        await prober.Client.ProbeAsync(new ProbeRequest { Endpoint = bad, Repetitions = 2 });

        Assert.Equal(3, recorder.Sum("prober.attempts", ok, "success"));
        Assert.Equal(2, recorder.Sum("prober.attempts", bad, "http_error"));
        Assert.Equal(0, recorder.Sum("prober.attempts", ok, "http_error"));
        var durations = recorder.Values("prober.attempt.duration", ok, "success");
        Assert.Equal(3, durations.Count);
        Assert.All(durations, d => Assert.InRange(d, 0.020, 1.0));

        var gauge = recorder.Observe("prober.probe.latency");
        Assert.InRange(gauge[ok], 0.020, durations.Max());
        Assert.True(gauge[bad] > 0);
        Assert.Equal("s", recorder.Unit("prober.probe.latency"));
        Assert.Equal("s", recorder.Unit("prober.attempt.duration"));
        Assert.Equal("{attempt}", recorder.Unit("prober.attempts"));
    }

    [Fact]
    public async Task Endpoint_labels_are_capped_and_later_endpoints_share_other()
    {
        await using var target = await TargetHost.StartAsync();
        await using var prober = await ProberHost.StartAsync(Setting("Prober:MaxEndpointLabels", "2"));
        using var recorder = new MetricRecorder(prober.Services.GetRequiredService<IMeterFactory>());

        foreach (var path in new[] { "/fast", "/status/200", "/slow?ms=1", "/slow?ms=2", "/fast" })
        {
            await prober.Client.ProbeAsync(new ProbeRequest { Endpoint = target.Url(path), Repetitions = 1 });
        }

        Assert.Equal(2, recorder.Sum("prober.attempts", "other", "success"));
        Assert.Equal(2, recorder.Sum("prober.attempts", target.Url("/fast"), "success"));
        var labels = recorder.Observe("prober.probe.latency").Keys.Order().ToArray();
        Assert.Equal(new[] { target.Url("/fast"), target.Url("/status/200"), "other" }.Order(), labels);
    }

    [Fact]
    public async Task Timeouts_and_refused_connections_have_their_own_outcomes()
    {
        await using var target = await TargetHost.StartAsync();
        await using var prober = await ProberHost.StartAsync();
        using var recorder = new MetricRecorder(prober.Services.GetRequiredService<IMeterFactory>());
        var slow = target.Url("/slow?ms=1000");
        const string refused = "http://127.0.0.1:1/";

        await prober.Client.ProbeAsync(new ProbeRequest { Endpoint = slow, Repetitions = 1, AttemptTimeout = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromMilliseconds(100)) });
        await prober.Client.ProbeAsync(new ProbeRequest { Endpoint = refused, Repetitions = 1 });

        Assert.Equal(1, recorder.Sum("prober.attempts", slow, "timeout"));
        Assert.Equal(1, recorder.Sum("prober.attempts", refused, "connection_error"));
        Assert.DoesNotContain(refused, recorder.Observe("prober.probe.latency").Keys);   // no response, no latency to report
    }

    /// <summary>Records the measurements of the prober's instruments created by one server's IMeterFactory.</summary>
    private sealed class MetricRecorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = new();
        private readonly ConcurrentDictionary<string, Instrument> _instruments = new();

        public MetricRecorder(IMeterFactory scope)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ProberMetrics.MeterName && instrument.Meter.Scope == scope)
                {
                    _instruments[instrument.Name] = instrument;
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
            _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
            _listener.Start();
        }

        public double Sum(string instrument, string endpoint, string outcome) => Values(instrument, endpoint, outcome).Sum();

        public List<double> Values(string instrument, string endpoint, string outcome) =>
            _measurements.Where(m => m.Instrument == instrument && Equals(m.Tags["endpoint"], endpoint) && Equals(m.Tags["outcome"], outcome))
                .Select(m => m.Value).ToList();

        /// <summary>Runs the observable instruments' callbacks and returns the gauge's value per endpoint.</summary>
        public Dictionary<string, double> Observe(string instrument)
        {
            _measurements.Clear();
            _listener.RecordObservableInstruments();
            return _measurements.Where(m => m.Instrument == instrument).ToDictionary(m => (string)m.Tags["endpoint"]!, m => m.Value);
        }

        public string? Unit(string instrument) => _instruments[instrument].Unit;

        public void Dispose() => _listener.Dispose();

        private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }
            _measurements.Enqueue((instrument.Name, value, copy));
        }
    }
}
