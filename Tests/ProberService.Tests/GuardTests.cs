using AspireProber.Prober.V1;
using AspireProber.ProberService.Tests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using static AspireProber.ProberService.Tests.Infrastructure.TestUtil;

namespace AspireProber.ProberService.Tests;

/// <summary>The request-forgery guard through the RPC: blocked targets are PERMISSION_DENIED, before or while connecting.</summary>
public sealed class GuardTests
{
    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/")]
    [InlineData("http://[fe80::1]/")]
    [InlineData("http://[fd00:ec2::254]/")]
    [InlineData("http://[::ffff:169.254.169.254]/")]
    public async Task Metadata_and_link_local_targets_are_permission_denied(string endpoint)
    {
        await using var prober = await ProberHost.StartAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => prober.Client.ProbeAsync(new ProbeRequest { Endpoint = endpoint, Repetitions = 1 }).ResponseAsync.Within());

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Contains("Prober:Guard:Allow", ex.Status.Detail);
        Assert.Equal("TARGET_BLOCKED", ex.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason);
    }

    [Theory]
    [InlineData(ConnectionMode.Fresh)]
    [InlineData(ConnectionMode.Reuse)]
    public async Task A_redirect_to_the_metadata_endpoint_is_permission_denied(ConnectionMode mode)
    {
        await using var target = await TargetHost.StartAsync();
        await using var prober = await ProberHost.StartAsync();
        var request = new ProbeRequest
        {
            Endpoint = target.Url("/redirect?to=" + Uri.EscapeDataString("http://169.254.169.254/latest/meta-data/")),
            Repetitions = 2,
            ConnectionMode = mode,
        };

        var ex = await Assert.ThrowsAsync<RpcException>(() => prober.Client.ProbeAsync(request).ResponseAsync.Within());

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Contains("redirect", ex.Status.Detail);
    }

    [Fact]
    public async Task A_name_that_resolves_to_a_denied_address_is_blocked_at_connect_without_connecting()
    {
        await using var target = await TargetHost.StartAsync();
        await using var prober = await ProberHost.StartAsync(Setting("Prober:Guard:Deny:0", "127.0.0.0/8"), Setting("Prober:Guard:Deny:1", "::1/128"));
        var before = target.Activity.ConnectionsAccepted;

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            prober.Client.ProbeAsync(new ProbeRequest { Endpoint = $"http://localhost:{target.Address.Port}/fast", Repetitions = 1 }).ResponseAsync.Within());

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Contains("'localhost' resolves to", ex.Status.Detail);
        Assert.Equal(before, target.Activity.ConnectionsAccepted);
    }

    [Fact]
    public async Task Loopback_is_allowed_by_default_by_name_and_by_address()
    {
        await using var target = await TargetHost.StartAsync();
        await using var prober = await ProberHost.StartAsync();

        var byName = await prober.Client.ProbeAsync(new ProbeRequest { Endpoint = $"http://localhost:{target.Address.Port}/fast", Repetitions = 1 });
        var byAddress = await prober.Client.ProbeAsync(new ProbeRequest { Endpoint = target.Url("/fast"), Repetitions = 1 });

        Assert.Equal(1, byName.SuccessCount);   // ::1 refuses (the target listens on 127.0.0.1), the connect moves on to 127.0.0.1
        Assert.Equal(1, byAddress.SuccessCount);
    }

    [Fact]
    public async Task An_allowed_range_lifts_the_built_in_deny()
    {
        await using var prober = await ProberHost.StartAsync(Setting("Prober:Guard:Allow:0", "169.254.169.254/32"));
        var request = new ProbeRequest
        {
            Endpoint = "http://169.254.169.254/",
            Repetitions = 1,
            AttemptTimeout = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(300)),
        };

        // No metadata service answers here: the attempt fails (timeout or unreachable), but the RPC is not denied.
        var reply = await prober.Client.ProbeAsync(request).ResponseAsync.Within();

        Assert.Equal(1, reply.FailureCount);
    }
}
