using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;

namespace AspireProber.Dashboard.Tests.Infrastructure;

/// <summary>OTLP requests with exact bytes (truncated bodies, wrong keys), over HTTP/1.1 or as a unary gRPC call over h2c.</summary>
public static class RawOtlp
{
    private static readonly HttpClient Http = new();

    /// <summary>POSTs <paramref name="body"/> to <paramref name="url"/> with a content type and optional API key.</summary>
    public static Task<HttpResponseMessage> PostHttpAsync(Uri url, byte[] body, string contentType = "application/x-protobuf", string? apiKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (apiKey is not null)
        {
            request.Headers.Add("x-otlp-api-key", apiKey);
        }
        return Http.SendAsync(request);
    }

    /// <summary>Calls a unary gRPC method with <paramref name="message"/> as its one message; returns grpc-status and grpc-message.</summary>
    public static async Task<(int Status, string Message)> CallGrpcAsync(Uri server, string method, byte[] message, string? apiKey = null)
    {
        var framed = new byte[5 + message.Length];
        BinaryPrimitives.WriteInt32BigEndian(framed.AsSpan(1), message.Length);
        message.CopyTo(framed, 5);
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, method))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(framed),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        if (apiKey is not null)
        {
            request.Headers.Add("x-otlp-api-key", apiKey);
        }
        using var response = await Http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        if (!response.Headers.Contains("grpc-status") && !response.TrailingHeaders.Contains("grpc-status"))
        {
            // Not answered by a gRPC handler: the status a gRPC client derives from the HTTP status (http-grpc-status-mapping.md).
            return (response.StatusCode == HttpStatusCode.NotFound ? 12 : 2, $"HTTP {(int)response.StatusCode}");
        }
        // Trailers-only responses carry the status in the headers; others in the trailers.
        var headers = response.TrailingHeaders.Contains("grpc-status") ? response.TrailingHeaders : response.Headers;
        var status = int.Parse(headers.GetValues("grpc-status").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var text = headers.TryGetValues("grpc-message", out var values) ? Uri.UnescapeDataString(values.Single()) : "";
        return (status, text);
    }

    /// <summary>The message's bytes.</summary>
    public static byte[] Bytes(IMessage message) => message.ToByteArray();
}
