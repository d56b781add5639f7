using AspireProber.ProbeRunner.Backpressure;
using AspireProber.ProbeRunner.Tests.Infrastructure;

namespace AspireProber.ProbeRunner.Tests;

/// <summary>What the backpressure view remembers between readings: a recent Prometheus failure, and the source it read last.</summary>
public sealed class SourceTrackerTests
{
    [Fact]
    public void A_Prometheus_failure_is_remembered_for_the_retry_delay_and_forgotten_after_it()
    {
        var time = new ManualTime();
        var tracker = new SourceTracker(time, new CapturingLogger<SourceTracker>());
        Assert.Null(tracker.RecentPrometheusProblem);

        tracker.PrometheusFailed("refused");
        time.Advance(SourceTracker.PrometheusRetryDelay - TimeSpan.FromMilliseconds(1));
        Assert.Equal("refused", tracker.RecentPrometheusProblem);

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(tracker.RecentPrometheusProblem);
    }

    [Fact]
    public void A_switch_of_source_is_logged_once_not_on_every_reading()
    {
        var logger = new CapturingLogger<SourceTracker>();
        var tracker = new SourceTracker(new ManualTime(), logger);

        tracker.ReadFromServices("no address");
        tracker.ReadFromServices("no address");
        tracker.ReadNothing("no address", "stock refused");
        tracker.ReadNothing("no address", "stock refused");
        tracker.ReadFromServices("no address");
        tracker.ReadFromPrometheus("http://prometheus.test");
        tracker.ReadFromPrometheus("http://prometheus.test");

        Assert.Equal(
            [
                "Backpressure view reads the stock service's /metrics and the runner's consumers instead of Prometheus: no address",
                "Backpressure view has nothing to show: no address stock refused",
                "Backpressure view reads the stock service's /metrics and the runner's consumers instead of Prometheus: no address",
                "Backpressure view reads Prometheus at http://prometheus.test",
            ],
            logger.Entries.Select(entry => entry.Message));
        Assert.Equal("http://prometheus.test", logger.Entries[^1].State["Address"]);
    }
}
