using Grpc.Shared;

namespace AspireProber.Grpc.Tests.Shared;

public sealed class PercentEncodingTests
{
    [Theory]
    [InlineData("plain ASCII, no change", "plain ASCII, no change")]
    [InlineData("100%", "100%25")]
    [InlineData("tab\there", "tab%09here")]
    [InlineData("line\nbreak", "line%0Abreak")]
    [InlineData("✓", "%E2%9C%93")]
    [InlineData("\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n", "%09%0Atest with whitespace%0D%0Aand Unicode BMP %E2%98%BA and non-BMP %F0%9F%98%88%09%0A")]
    public void Encodes_bytes_outside_printable_ASCII_and_the_percent_sign(string message, string encoded)
    {
        Assert.Equal(encoded, PercentEncoding.Encode(message));
        Assert.Equal(message, PercentEncoding.Decode(encoded));
    }

    [Theory]
    [InlineData("50%")]
    [InlineData("%zz")]
    [InlineData("%4")]
    public void Malformed_escapes_are_kept_as_they_are(string value) => Assert.Equal(value, PercentEncoding.Decode(value));
}
