using System.Net;
using Microsoft.Extensions.Options;

namespace AspireProber.ProberService.Tests;

/// <summary>The pure parts: percentiles, statistics, the guard's rules, the replica id, options validation.</summary>
public sealed class UnitTests
{
    [Theory]
    [InlineData(50, 5)]
    [InlineData(90, 9)]
    [InlineData(99, 10)]
    [InlineData(100, 10)]
    [InlineData(10, 1)]
    [InlineData(0, 1)]
    [InlineData(11, 2)]
    public void Nearest_rank_picks_a_measured_value(double percentile, double expected)
    {
        double[] sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        Assert.Equal(expected, ProbeStatistics.NearestRank(sorted, percentile));
    }

    [Fact]
    public void Statistics_count_latencies_of_responses_only_and_keep_a_few_distinct_reasons()
    {
        var statistics = new ProbeStatistics();
        statistics.Add(new() { Attempt = 1, Success = true, StatusCode = 200, LatencyMs = 10, TimeToFirstByteMs = 4 });
        statistics.Add(new() { Attempt = 2, StatusCode = 500, LatencyMs = 30, TimeToFirstByteMs = 8, FailureReason = "status 500" });
        statistics.Add(new() { Attempt = 3, FailureReason = "connection refused" });
        for (var i = 0; i < 10; i++)
        {
            statistics.Add(new() { Attempt = 4 + i, FailureReason = $"reason {i % 7}" });
        }

        var reply = statistics.ToReply("http://x/", "r1", new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc));

        Assert.Equal(13, reply.Repetitions);
        Assert.Equal(1, reply.SuccessCount);
        Assert.Equal(12, reply.FailureCount);
        Assert.Equal(20, reply.AverageLatencyMs);
        Assert.Equal(10, reply.MinLatencyMs);
        Assert.Equal(30, reply.MaxLatencyMs);
        Assert.Equal(10, reply.P50LatencyMs);
        Assert.Equal(30, reply.P90LatencyMs);
        Assert.Equal(6, reply.AverageTimeToFirstByteMs);
        Assert.Equal(new Dictionary<int, int> { [200] = 1, [500] = 1 }, reply.StatusCodeCounts);
        Assert.Equal(["status 500", "connection refused", "reason 0", "reason 1", "reason 2"], reply.FailureReasons);
        Assert.Equal("r1", reply.Replica);
    }

    [Theory]
    [InlineData("169.254.169.254", true)]
    [InlineData("169.254.0.1", true)]
    [InlineData("::ffff:169.254.169.254", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fe80::1%2", true)]
    [InlineData("fd00:ec2::254", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("8.8.8.8", false)]
    [InlineData("fd00:ec2::253", false)]
    public void Built_in_rules_deny_link_local_and_metadata_addresses(string address, bool denied)
    {
        var guard = Guard(new TargetGuardOptions());
        Assert.Equal(denied, guard.CheckAddress(IPAddress.Parse(address)) is not null);
    }

    [Theory]
    [InlineData("metadata.google.internal", true)]
    [InlineData("METADATA.google.internal.", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("example.com", false)]
    [InlineData("localhost", false)]
    public void Host_names_of_metadata_services_are_denied_before_resolution(string host, bool denied)
    {
        Assert.Equal(denied, Guard(new TargetGuardOptions()).CheckHost(host) is not null);
    }

    [Fact]
    public void Configured_ranges_add_denials_and_allow_wins_over_deny()
    {
        var guard = Guard(new TargetGuardOptions { Deny = ["10.0.0.0/8"], Allow = ["10.9.0.0/16", "169.254.170.0/24"] });

        Assert.NotNull(guard.CheckAddress(IPAddress.Parse("10.1.1.1")));
        Assert.Null(guard.CheckAddress(IPAddress.Parse("10.9.1.1")));
        Assert.Null(guard.CheckAddress(IPAddress.Parse("169.254.170.2")));
        Assert.NotNull(guard.CheckAddress(IPAddress.Parse("169.254.169.254")));
    }

    [Theory]
    [InlineData("service.name=prober,service.instance.id=prober-1", "prober-1")]
    [InlineData(" service.instance.id = a%2Cb ", "a,b")]
    [InlineData("service.name=prober", null)]
    [InlineData("service.instance.id=", null)]
    [InlineData(null, null)]
    public void Replica_id_comes_from_otel_resource_attributes(string? attributes, string? expected)
    {
        Assert.Equal(expected, ReplicaIdentity.FromResourceAttributes(attributes));
    }

    [Fact]
    public void Options_validation_names_each_bad_key()
    {
        var options = new ProberOptions
        {
            DefaultAttemptTimeout = TimeSpan.Zero,
            MaxRepetitions = 0,
            MaxConcurrentProbes = -1,
            ApiKey = " ",
            Guard = new TargetGuardOptions { Deny = ["10.0.0.0/33"], Allow = ["nonsense"] },
        };

        var result = new ProberOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        foreach (var key in new[] { "Prober:DefaultAttemptTimeout", "Prober:MaxRepetitions", "Prober:MaxConcurrentProbes", "Prober:ApiKey", "Prober:Guard:Deny:0", "Prober:Guard:Allow:0" })
        {
            Assert.Contains(result.Failures!, f => f.StartsWith(key, StringComparison.Ordinal));
        }
        Assert.True(new ProberOptionsValidator().Validate(null, new ProberOptions()).Succeeded);
    }

    private static TargetGuard Guard(TargetGuardOptions guard) => new(Options.Create(new ProberOptions { Guard = guard }));
}
