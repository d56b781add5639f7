using AspireProber.Prober.V1;
using AspireProber.ProberService.Tests.Infrastructure;
using Grpc.Core;
using static AspireProber.ProberService.Tests.Infrastructure.TestUtil;

namespace AspireProber.ProberService.Tests;

/// <summary>The per-replica concurrency limit and the API key.</summary>
public sealed class LimitTests
{
    [Fact]
    public async Task Past_the_concurrency_limit_a_probe_is_resource_exhausted_until_a_slot_frees()
    {
        await using var target = await TargetHost.StartAsync();
        await using var prober = await ProberHost.StartAsync(Setting("Prober:MaxConcurrentProbes", "1"));
        using var cts = new CancellationTokenSource();

        var hanging = prober.Client.ProbeAsync(new ProbeRequest { Endpoint = target.Url("/hang"), Repetitions = 1 }, cancellationToken: cts.Token);
        await Eventually(() => target.Activity.HangingRequests == 1, "the first probe to reach /hang");

        var ex = await Assert.ThrowsAsync<RpcException>(() => prober.Client.ProbeAsync(new ProbeRequest { Endpoint = target.Url("/fast"), Repetitions = 1 }).ResponseAsync.Within());
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Contains("Prober:MaxConcurrentProbes", ex.Status.Detail);
        using var stream = prober.Client.ProbeStream(new ProbeRequest { Endpoint = target.Url("/fast"), Repetitions = 1 });
        var streamEx = await Assert.ThrowsAsync<RpcException>(() => stream.ResponseStream.MoveNext(CancellationToken.None).Within());
        Assert.Equal(StatusCode.ResourceExhausted, streamEx.StatusCode);

        cts.Cancel();
        await Assert.ThrowsAsync<RpcException>(() => hanging.ResponseAsync.Within());
        await Eventually(() => prober.Services.GetRequiredService<ProbeConcurrencyInterceptor>().Running == 0, "the slot to be released");
        var reply = await prober.Client.ProbeAsync(new ProbeRequest { Endpoint = target.Url("/fast"), Repetitions = 1 });
        Assert.Equal(1, reply.SuccessCount);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-key")]
    [InlineData("Bearer s3cret-key-but-longer")]
    [InlineData("Basic s3cret-key")]
    [InlineData("s3cret-key")]
    public async Task With_an_api_key_configured_calls_without_it_are_unauthenticated(string? authorization)
    {
        await using var target = await TargetHost.StartAsync();
        await using var prober = await ProberHost.StartAsync(Setting("Prober:ApiKey", "s3cret-key"));
        var headers = authorization is null ? null : new Metadata { { "authorization", authorization } };

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            prober.Client.ProbeAsync(new ProbeRequest { Endpoint = target.Url("/fast"), Repetitions = 1 }, headers).ResponseAsync.Within());

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
        Assert.Contains("authorization: Bearer <key>", ex.Status.Detail);
        Assert.Equal(0, target.Activity.ConnectionsAccepted);
    }

    [Fact]
    public async Task With_the_right_api_key_the_probe_runs()
    {
        await using var target = await TargetHost.StartAsync();
        await using var prober = await ProberHost.StartAsync(Setting("Prober:ApiKey", "s3cret-key"));
        var headers = new Metadata { { "authorization", "Bearer s3cret-key" } };

        var reply = await prober.Client.ProbeAsync(new ProbeRequest { Endpoint = target.Url("/fast"), Repetitions = 2 }, headers);
        var streamed = await prober.Client.ProbeStream(new ProbeRequest { Endpoint = target.Url("/fast"), Repetitions = 2 }, headers)
            .ResponseStream.ReadAllAsync().ToListAsync().AsTask().Within();

        Assert.Equal(2, reply.SuccessCount);
        Assert.Equal(2, streamed.Count);
    }
}
