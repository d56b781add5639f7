using Grpc.Core;
using Grpc.Shared;

namespace AspireProber.Grpc.Tests.Shared;

public sealed class MetadataTests
{
    [Fact]
    public void Keys_are_lower_cased_and_binary_keys_take_bytes()
    {
        var metadata = new Metadata { { "X-Custom", "v" }, { "Trace-Bin", new byte[] { 1, 2 } } };

        Assert.Equal("x-custom", metadata[0].Key);
        Assert.True(metadata[1].IsBinary);
        Assert.Equal(new byte[] { 1, 2 }, metadata.GetValueBytes("trace-bin"));
    }

    [Theory]
    [InlineData("bad key")]
    [InlineData("ключ")]
    [InlineData("")]
    public void Invalid_keys_are_rejected_with_a_clear_error(string key) =>
        Assert.ThrowsAny<ArgumentException>(() => new Metadata.Entry(key, "v"));

    [Fact]
    public void A_string_value_with_a_binary_key_is_rejected() =>
        Assert.Throws<ArgumentException>(() => new Metadata.Entry("data-bin", "text"));

    [Fact]
    public void Non_ASCII_string_values_are_rejected() =>
        Assert.Throws<ArgumentException>(() => new Metadata.Entry("name", "Zoë"));

    [Fact]
    public void Binary_values_are_sent_as_unpadded_base64_and_read_padded_or_not()
    {
        var entry = new Metadata.Entry("data-bin", new byte[] { 0xFF, 0xFE });
        Assert.Equal("//4", MetadataHeaders.EncodeValue(entry));

        var received = new Metadata();
        Assert.True(MetadataHeaders.TryAddHeader(received, "data-bin", ["//4", "//4=,AQ"]));
        Assert.Equal(3, received.Count);
        Assert.All(received.Take(2), e => Assert.Equal(new byte[] { 0xFF, 0xFE }, e.ValueBytes));
        Assert.Equal(new byte[] { 1 }, received[2].ValueBytes);
    }

    [Fact]
    public void Protocol_headers_never_become_metadata()
    {
        var received = new Metadata();
        foreach (var name in new[] { ":path", "content-type", "te", "grpc-timeout", "grpc-encoding", "grpc-accept-encoding", "grpc-status", "grpc-message" })
        {
            MetadataHeaders.TryAddHeader(received, name, ["x"]);
        }
        MetadataHeaders.TryAddHeader(received, "user-id", ["42"]);

        Assert.Equal("user-id", Assert.Single(received).Key);
    }

    [Fact]
    public void Invalid_base64_in_a_binary_header_is_reported() =>
        Assert.False(MetadataHeaders.TryAddHeader(new Metadata(), "data-bin", ["not base64!"]));
}
