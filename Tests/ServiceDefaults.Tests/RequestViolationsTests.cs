using AspireProber.ServiceDefaults;
using Google.Rpc;
using Grpc.Core;

namespace AspireProber.ServiceDefaults.Tests;

/// <summary>An error about many bad fields stays short: the first ten are named, the rest counted.</summary>
public sealed class RequestViolationsTests
{
    [Fact]
    public void Past_ten_violations_the_rest_are_counted_not_listed()
    {
        var violations = new RequestViolations();
        for (var i = 0; i < 25; i++)
        {
            violations.Add($"tickers[{i}]", "unknown ticker");
        }

        var error = Assert.Throws<RpcException>(() => violations.ThrowIfAny("Invalid request:"));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(25, violations.Count);
        var fields = error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations.Select(v => v.Field).ToList();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"tickers[{i}]"), fields);
        Assert.EndsWith("tickers[9]: unknown ticker; and 15 more", error.Status.Detail);
    }
}
