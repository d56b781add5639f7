using Grpc.Shared;

namespace AspireProber.Grpc.Tests.Shared;

public sealed class GrpcTimeoutTests
{
    [Theory]
    [InlineData("1H", 3600_000.0)]
    [InlineData("2M", 120_000.0)]
    [InlineData("3S", 3000.0)]
    [InlineData("250m", 250.0)]
    [InlineData("1500u", 1.5)]
    [InlineData("99999999S", 99_999_999_000.0)]
    public void Parses_every_unit(string value, double expectedMs)
    {
        Assert.True(GrpcTimeout.TryParse(value, out var timeout));
        Assert.Equal(expectedMs, timeout.TotalMilliseconds, precision: 6);
    }

    [Fact]
    public void Nanoseconds_round_up_so_a_tiny_timeout_is_not_zero()
    {
        Assert.True(GrpcTimeout.TryParse("1n", out var timeout));
        Assert.Equal(1, timeout.Ticks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("10")]
    [InlineData("10s")]
    [InlineData("123456789S")]
    [InlineData("-1S")]
    [InlineData("1.5S")]
    [InlineData(" 1S")]
    public void Rejects_what_the_grammar_does_not_allow(string value) => Assert.False(GrpcTimeout.TryParse(value, out _));

    [Theory]
    [InlineData(0.000_1, "100n")]
    [InlineData(5.0, "5000000n")]
    [InlineData(250.0, "250000u")]
    [InlineData(100_000.0, "100000m")]
    [InlineData(1_000_000_000.0, "1000000S")]
    public void Formats_in_the_finest_unit_that_fits_eight_digits(double milliseconds, string expected) =>
        Assert.Equal(expected, GrpcTimeout.Format(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public void Formatting_never_shrinks_the_timeout()
    {
        foreach (var ticks in new long[] { 1, 7, 999_999_999, 1_000_000_001, 123_456_789_012, TimeSpan.FromDays(3650).Ticks })
        {
            var timeout = TimeSpan.FromTicks(ticks);
            var formatted = GrpcTimeout.Format(timeout);
            Assert.True(formatted.Length <= 9, formatted);
            Assert.True(GrpcTimeout.TryParse(formatted, out var parsed));
            Assert.True(parsed >= timeout, $"{timeout} formatted as {formatted} parses back to {parsed}");
        }
    }

    [Fact]
    public void Zero_or_negative_timeouts_format_as_already_expired() =>
        Assert.Equal("1n", GrpcTimeout.Format(TimeSpan.FromSeconds(-3)));
}
