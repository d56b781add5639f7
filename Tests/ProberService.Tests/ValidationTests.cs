using AspireProber.Prober.V1;
using AspireProber.ProberService.Tests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace AspireProber.ProberService.Tests;

/// <summary>Bad input gets INVALID_ARGUMENT with a google.rpc.BadRequest naming each bad field.</summary>
public sealed class ValidationTests : IAsyncLifetime
{
    private ProberHost _prober = null!;

    public async Task InitializeAsync() => _prober = await ProberHost.StartAsync(TestUtil.Setting("Prober:MaxRepetitions", "1000"));

    public async Task DisposeAsync() => await _prober.DisposeAsync();

    public static TheoryData<string, ProbeRequest> Invalid => new()
    {
        { "endpoint", new ProbeRequest { Endpoint = "", Repetitions = 1 } },
        { "endpoint", new ProbeRequest { Endpoint = "/fast", Repetitions = 1 } },
        { "endpoint", new ProbeRequest { Endpoint = "fast", Repetitions = 1 } },
        { "endpoint", new ProbeRequest { Endpoint = "ftp://127.0.0.1/file", Repetitions = 1 } },
        { "endpoint", new ProbeRequest { Endpoint = "file:///etc/passwd", Repetitions = 1 } },
        { "repetitions", new ProbeRequest { Endpoint = "http://127.0.0.1:1/", Repetitions = 0 } },
        { "repetitions", new ProbeRequest { Endpoint = "http://127.0.0.1:1/", Repetitions = -3 } },
        { "repetitions", new ProbeRequest { Endpoint = "http://127.0.0.1:1/", Repetitions = 1001 } },
        { "attempt_timeout", new ProbeRequest { Endpoint = "http://127.0.0.1:1/", Repetitions = 1, AttemptTimeout = new Duration { Seconds = -1 } } },
        { "attempt_timeout", new ProbeRequest { Endpoint = "http://127.0.0.1:1/", Repetitions = 1, AttemptTimeout = new Duration() } },
        { "attempt_timeout", new ProbeRequest { Endpoint = "http://127.0.0.1:1/", Repetitions = 1, AttemptTimeout = new Duration { Seconds = 3600 } } },
        { "accepted_status_codes[1]", new ProbeRequest { Endpoint = "http://127.0.0.1:1/", Repetitions = 1, AcceptedStatusCodes = { 200, 99 } } },
        { "accepted_status_codes[0]", new ProbeRequest { Endpoint = "http://127.0.0.1:1/", Repetitions = 1, AcceptedStatusCodes = { 600 } } },
        { "method", new ProbeRequest { Endpoint = "http://127.0.0.1:1/", Repetitions = 1, Method = (Prober.V1.HttpMethod)7 } },
        { "connection_mode", new ProbeRequest { Endpoint = "http://127.0.0.1:1/", Repetitions = 1, ConnectionMode = (ConnectionMode)9 } },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task Probe_names_the_bad_field(string field, ProbeRequest request)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => _prober.Client.ProbeAsync(request).ResponseAsync);

        AssertNamesOnly(ex, field);
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task ProbeStream_names_the_bad_field(string field, ProbeRequest request)
    {
        using var call = _prober.Client.ProbeStream(request);
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        AssertNamesOnly(ex, field);
    }

    [Fact]
    public async Task Every_bad_field_is_reported_at_once()
    {
        var request = new ProbeRequest { Endpoint = "nope", Repetitions = 0, AcceptedStatusCodes = { 42 } };
        var ex = await Assert.ThrowsAsync<RpcException>(() => _prober.Client.ProbeAsync(request).ResponseAsync);

        var fields = ex.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field);
        Assert.Equal(["endpoint", "repetitions", "accepted_status_codes[0]"], fields);
    }

    private static void AssertNamesOnly(RpcException ex, string field)
    {
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains(field, ex.Status.Detail);
        var status = ex.GetRpcStatus();
        Assert.NotNull(status);
        Assert.Equal((int)StatusCode.InvalidArgument, status.Code);
        var violation = Assert.Single(status.GetDetail<BadRequest>()!.FieldViolations);
        Assert.Equal(field, violation.Field);
        Assert.False(string.IsNullOrWhiteSpace(violation.Description));
    }
}
