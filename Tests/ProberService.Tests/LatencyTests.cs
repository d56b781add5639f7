using AspireProber.Prober.V1;
using AspireProber.ProberService.Tests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using static AspireProber.ProberService.Tests.Infrastructure.TestUtil;

namespace AspireProber.ProberService.Tests;

/// <summary>What the prober reports matches what the target did.</summary>
[Collection(TimingSensitive.Name)]
public sealed class LatencyTests
{
    [Fact]
    public async Task Slow_endpoint_reports_its_delay_as_the_average()
    {
        await using var target = await TargetHost.StartAsync();
        await using var prober = await ProberHost.StartAsync();
        // The first request of this test process pays for JIT-compiling the HTTP stack; that is not what is measured here.
        await prober.Client.ProbeAsync(new ProbeRequest { Endpoint = target.Url("/fast"), Repetitions = 1 });

        var reply = await prober.Client.ProbeAsync(new ProbeRequest { Endpoint = target.Url("/slow?ms=100"), Repetitions = 5 });

        Assert.Equal(5, reply.Repetitions);
        Assert.Equal(5, reply.SuccessCount);
        Assert.InRange(reply.AverageLatencyMs, 100, 149.999);
        Assert.InRange(reply.MinLatencyMs, 100, reply.AverageLatencyMs);
        Assert.InRange(reply.MaxLatencyMs, reply.AverageLatencyMs, 1000);
        Assert.InRange(reply.P50LatencyMs, reply.MinLatencyMs, reply.MaxLatencyMs);
        Assert.InRange(reply.P99LatencyMs, reply.P90LatencyMs, reply.MaxLatencyMs);
        Assert.Equal(reply.MaxLatencyMs, reply.P99LatencyMs);  // nearest rank of 5 values: the 5th
        Assert.InRange(reply.AverageTimeToFirstByteMs, 100, reply.AverageLatencyMs);
        Assert.Equal(5, reply.StatusCodeCounts[200]);
        Assert.Empty(reply.FailureReasons);
        Assert.False(string.IsNullOrEmpty(reply.Replica));
        Assert.InRange(reply.StartedAt.ToDateTime(), DateTime.UtcNow.AddSeconds(-10), DateTime.UtcNow);
    }

    [Fact]
    public async Task Attempt_timeout_fails_the_attempt_and_the_probe_goes_on()
    {
        await using var target = await TargetHost.StartAsync();
        await using var prober = await ProberHost.StartAsync();

        var request = new ProbeRequest { Endpoint = target.Url("/slow?ms=2000"), Repetitions = 2, AttemptTimeout = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(200)) };
        var started = DateTime.UtcNow;
        var reply = await prober.Client.ProbeAsync(request);

        Assert.Equal(2, reply.FailureCount);
        Assert.Equal(["timed out after 200 ms"], reply.FailureReasons);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(1500));
        await Eventually(() => target.Activity.HangingRequests == 0, "nothing left running");
    }
}
