using System.Buffers.Binary;
using System.Text;

namespace AspireProber.Grpc.Tests.Infrastructure;

/// <summary>Builds and parses length-prefixed messages by hand, so tests check the wire independently of the code under test.</summary>
public static class GrpcFrames
{
    public static byte[] Frame(byte[] payload, byte compressedFlag = 0, int? declaredLength = null)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = compressedFlag;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)(declaredLength ?? payload.Length));
        payload.CopyTo(frame, 5);
        return frame;
    }

    public static byte[] Frame(string text) => Frame(Encoding.UTF8.GetBytes(text));

    public static List<string> ParseStrings(byte[] body)
    {
        var messages = new List<string>();
        var offset = 0;
        while (offset < body.Length)
        {
            Assert.Equal(0, body[offset]);
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(offset + 1));
            messages.Add(Encoding.UTF8.GetString(body, offset + 5, length));
            offset += 5 + length;
        }
        return messages;
    }

    /// <summary>A raw gRPC POST with the given body bytes.</summary>
    public static HttpRequestMessage Request(string path, byte[] body, string contentType = "application/grpc")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new ByteArrayContent(body),
            Version = System.Net.HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("te", "trailers");
        return request;
    }

    /// <summary>grpc-status from the trailers, or from the headers for a Trailers-Only response.</summary>
    public static string? GrpcStatus(HttpResponseMessage response) =>
        response.TrailingHeaders.TryGetValues("grpc-status", out var t) ? t.Single()
        : response.Headers.TryGetValues("grpc-status", out var h) ? h.Single() : null;

    public static string? GrpcMessage(HttpResponseMessage response) =>
        response.TrailingHeaders.TryGetValues("grpc-message", out var t) ? t.Single()
        : response.Headers.TryGetValues("grpc-message", out var h) ? h.Single() : null;
}
