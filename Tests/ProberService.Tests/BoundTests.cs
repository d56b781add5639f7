using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AspireProber.Prober.V1;
using AspireProber.ProberService.Tests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using static AspireProber.ProberService.Tests.Infrastructure.TestUtil;

namespace AspireProber.ProberService.Tests;

/// <summary>
/// No caller locks a replica: every probe ends by the server's bound (Prober:MaxProbeDuration) whatever its deadline, a
/// request that could run past it is refused up front, and one caller holds at most Prober:MaxConcurrentProbesPerCaller
/// of the replica's slots while other callers are still served.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class BoundTests(Xunit.Abstractions.ITestOutputHelper log)
{
    [Fact]
    public async Task A_request_whose_repetitions_times_attempt_timeout_pass_the_bound_is_invalid_naming_both_fields()
    {
        await using var target = await TargetHost.StartAsync();
        await using var prober = await ProberHost.StartAsync();
        var request = new ProbeRequest { Endpoint = target.Url("/hang"), Repetitions = 1000, AttemptTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(30)) };

        var ex = await Assert.ThrowsAsync<RpcException>(() => prober.Client.ProbeAsync(request).ResponseAsync.Within());

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        var badRequest = ex.GetRpcStatus()!.GetDetail<BadRequest>();
        Assert.Equal(["repetitions", "attempt_timeout"], badRequest.FieldViolations.Select(v => v.Field));
        Assert.All(badRequest.FieldViolations, v => Assert.Contains("1000 × 30 s = 30000 s, beyond this server's bound of 30 s per probe (Prober:MaxProbeDuration)", v.Description));
        Assert.Equal(0, target.Activity.ConnectionsAccepted);
    }

    [Fact]
    public async Task ProbeStreams_whose_reader_never_reads_free_their_slots_by_the_bound()
    {
        await using var target = await TargetHost.StartAsync();
        await using var prober = await ProberHost.StartAsync(
            Setting("Prober:MaxProbeDuration", "00:00:03"), Setting("Prober:MaxAttemptTimeout", "00:00:03"), Setting("Prober:DefaultAttemptTimeout", "00:00:01"));
        var slots = prober.Services.GetRequiredService<ProbeConcurrencyInterceptor>();
        // Each stream's attempts fill what the server buffers for a reader that allows no data at all.
        var request = new ProbeRequest { Endpoint = target.Url("/fast"), Repetitions = 1000, ConnectionMode = ConnectionMode.Reuse, AttemptTimeout = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(3)) };

        await using var stalled = await StalledHttp2Client.ConnectAsync(prober.Address);
        for (var i = 0; i < 4; i++)
        {
            await stalled.StartCallAsync("/prober.v1.Prober/ProbeStream", request);
        }
        await Eventually(() => slots.Running == 4, "the four streams to hold their slots");

        // The reader still reads nothing and keeps its connection open: only the server's bound can end the writes.
        var clock = Stopwatch.StartNew();
        await Eventually(() => slots.Running == 0, "the stalled streams' slots to be released", seconds: 10);
        log.WriteLine($"slots released {clock.Elapsed.TotalSeconds:0.0} s after the streams held them");
        var reply = await prober.Client.ProbeAsync(new ProbeRequest { Endpoint = target.Url("/fast"), Repetitions = 1 });
        Assert.Equal(1, reply.SuccessCount);
    }

    [Fact]
    public async Task A_probe_with_no_deadline_ends_in_deadline_exceeded_at_the_bound_and_leaves_nothing_running()
    {
        await using var target = await TargetHost.StartAsync();
        await using var prober = await ProberHost.StartAsync(
            Setting("Prober:MaxProbeDuration", "00:00:02"), Setting("Prober:MaxAttemptTimeout", "00:00:02"), Setting("Prober:DefaultAttemptTimeout", "00:00:01"));
        // 2 × 1 s fills the 2 s bound: the first attempt times out after 1 s, so the second has a little less than 1 s
        // left, and the bound ends it, not its own timeout.
        var request = new ProbeRequest { Endpoint = target.Url("/hang"), Repetitions = 2, AttemptTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)) };
        // The channel and both services warmed up first: on a loaded machine a first call's set-up alone took a second.
        await prober.Client.ProbeStream(new ProbeRequest { Endpoint = target.Url("/fast"), Repetitions = 1 }).ResponseStream.ReadAllAsync().ToListAsync().AsTask().Within();

        var clock = Stopwatch.StartNew();
        using var stream = prober.Client.ProbeStream(request);
        var ex = await Assert.ThrowsAsync<RpcException>(() => stream.ResponseStream.ReadAllAsync().ToListAsync().AsTask().Within());
        clock.Stop();

        log.WriteLine($"DEADLINE_EXCEEDED {clock.Elapsed.TotalSeconds:0.000} s after the call, bound 2 s");
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.Contains("Prober:MaxProbeDuration", ex.Status.Detail);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"the status came {clock.Elapsed.TotalSeconds:0.00} s after the call, past the 2 s bound + 1 s");
        await Eventually(() => target.Activity.HangingRequests == 0, "the /hang request to be cancelled", seconds: 1);
        await Eventually(() => prober.Services.GetRequiredService<ProbeConcurrencyInterceptor>().Running == 0, "the probe's slot to be released", seconds: 1);
    }

    [Fact]
    public async Task One_caller_past_its_share_is_resource_exhausted_with_retry_info_while_another_caller_is_served()
    {
        await using var target = await TargetHost.StartAsync();
        await using var prober = await ProberHost.StartAsync();
        using var flood = new CancellationTokenSource();
        var hanging = Enumerable.Range(0, 4)
            .Select(_ => prober.Client.ProbeAsync(new ProbeRequest { Endpoint = target.Url("/hang"), Repetitions = 1 }, cancellationToken: flood.Token).ResponseAsync)
            .ToArray();
        await Eventually(() => target.Activity.HangingRequests == 4, "the caller's four probes to reach /hang");

        // 127.0.0.1 has its four; the fifth is refused for it alone.
        var ex = await Assert.ThrowsAsync<RpcException>(() => prober.Client.ProbeAsync(new ProbeRequest { Endpoint = target.Url("/hang"), Repetitions = 1 }).ResponseAsync.Within());
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Contains("Prober:MaxConcurrentProbesPerCaller", ex.Status.Detail);
        Assert.Equal(TimeSpan.FromSeconds(1), ex.GetRpcStatus()!.GetDetail<RetryInfo>().RetryDelay.ToTimeSpan());

        // Another caller (a client connecting from 127.0.0.2) is served meanwhile.
        using var otherCaller = ChannelFrom(IPAddress.Parse("127.0.0.2"), prober.Address);
        var reply = await new Prober.V1.Prober.ProberClient(otherCaller).ProbeAsync(new ProbeRequest { Endpoint = target.Url("/fast"), Repetitions = 1 }).ResponseAsync.Within();
        Assert.Equal(1, reply.SuccessCount);

        flood.Cancel();
        foreach (var call in hanging)
        {
            await Assert.ThrowsAsync<RpcException>(() => call.Within());
        }
        await Eventually(() => prober.Services.GetRequiredService<ProbeConcurrencyInterceptor>().Running == 0, "the caller's slots to be released");
        Assert.Equal(1, (await prober.Client.ProbeAsync(new ProbeRequest { Endpoint = target.Url("/fast"), Repetitions = 1 })).SuccessCount);
    }

    // A gRPC channel whose connections leave from `local`: on loopback, a caller with an address of its own.
    private static GrpcChannel ChannelFrom(IPAddress local, Uri server) =>
        GrpcChannel.ForAddress(server, new GrpcChannelOptions { HttpHandler = AspireProber.Tests.Shared.SourceAddress.Handler(local) });
}
