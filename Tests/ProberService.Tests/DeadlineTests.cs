using System.Diagnostics;
using AspireProber.Prober.V1;
using AspireProber.ProberService.Tests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using static AspireProber.ProberService.Tests.Infrastructure.TestUtil;

namespace AspireProber.ProberService.Tests;

/// <summary>Nothing outlives the call: the deadline ends the RPC on time and cancels the HTTP request it was waiting on.</summary>
[Collection(TimingSensitive.Name)]
public sealed class DeadlineTests
{
    [Theory]
    [InlineData(ConnectionMode.Fresh)]
    [InlineData(ConnectionMode.Reuse)]
    public async Task Hang_with_a_1s_deadline_ends_in_deadline_exceeded_within_1_3s_and_leaves_no_request(ConnectionMode mode)
    {
        await using var target = await TargetHost.StartAsync();
        await using var prober = await ProberHost.StartAsync();
        var request = new ProbeRequest { Endpoint = target.Url("/hang"), Repetitions = 3, ConnectionMode = mode };

        var stopwatch = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<RpcException>(() => prober.Client.ProbeAsync(request, deadline: DateTime.UtcNow.AddSeconds(1)).ResponseAsync.Within());
        stopwatch.Stop();

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(1.3));
        await Eventually(() => target.Activity.HangingRequests == 0, "the /hang request to be cancelled", seconds: 1);
        await Eventually(() => prober.Services.GetRequiredService<ProbeConcurrencyInterceptor>().Running == 0, "the probe's slot to be released", seconds: 1);
    }

    [Fact]
    public async Task The_deadline_bounds_the_attempt_even_when_the_attempt_timeout_is_longer()
    {
        await using var target = await TargetHost.StartAsync();
        await using var prober = await ProberHost.StartAsync();
        var request = new ProbeRequest { Endpoint = target.Url("/hang"), Repetitions = 1, AttemptTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(30)) };

        using var call = prober.Client.ProbeStream(request, deadline: DateTime.UtcNow.AddMilliseconds(500));
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).Within());

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        await Eventually(() => target.Activity.HangingRequests == 0, "the /hang request to be cancelled", seconds: 1);
    }

    [Fact]
    public async Task Client_cancellation_cancels_the_http_request()
    {
        await using var target = await TargetHost.StartAsync();
        await using var prober = await ProberHost.StartAsync();
        using var cts = new CancellationTokenSource();

        var call = prober.Client.ProbeAsync(new ProbeRequest { Endpoint = target.Url("/hang"), Repetitions = 1 }, cancellationToken: cts.Token);
        await Eventually(() => target.Activity.HangingRequests == 1, "the probe to reach /hang");
        cts.Cancel();

        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.Within());
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        await Eventually(() => target.Activity.HangingRequests == 0, "the /hang request to be cancelled", seconds: 1);
    }
}
