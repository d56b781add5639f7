using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;

namespace AspireProber.GrpcBench;

/// <summary>
/// One real gRPC call before a server is measured: h2load only sees the HTTP status, and a server that
/// answered 200 with grpc-status 13 would otherwise be "fast". Checks HTTP/2, status 200, a single well-formed
/// message frame and grpc-status 0 (in the trailers, or in the headers of a trailers-only response).
/// </summary>
internal static class UnaryCallCheck
{
    public static async Task RunAsync(string server, int port, byte[] framedRequest, CancellationToken cancellationToken)
    {
        using var client = new HttpClient(new SocketsHttpHandler()) { Timeout = TimeSpan.FromSeconds(10) };
        // h2c with prior knowledge: HTTP/2 exactly, over cleartext.
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}{GrpcMessages.UnaryCallPath}")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(framedRequest) { Headers = { ContentType = new MediaTypeHeaderValue("application/grpc") } },
        };
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));

        using var response = await client.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var status = Header(response.TrailingHeaders, "grpc-status") ?? Header(response.Headers, "grpc-status");
        var message = Header(response.TrailingHeaders, "grpc-message") ?? Header(response.Headers, "grpc-message");

        Require(server, response.Version == HttpVersion.Version20, $"HTTP/{response.Version}");
        Require(server, response.StatusCode == HttpStatusCode.OK, $"HTTP status {(int)response.StatusCode}, grpc-status '{status}' ({message})");
        Require(server, response.Content.Headers.ContentType?.MediaType?.StartsWith("application/grpc", StringComparison.Ordinal) == true,
            $"content-type '{response.Content.Headers.ContentType}'");
        Require(server, status == "0", $"grpc-status '{status}' ({message})");
        Require(server, body.Length >= 5 && body[0] == 0 && BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(1)) == body.Length - 5,
            $"a body of {body.Length} bytes that is not one uncompressed gRPC message");
    }

    private static string? Header(HttpHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    private static void Require(string server, bool condition, string found)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"{server}: {GrpcMessages.UnaryCallPath} is not a gRPC success: {found}.");
        }
    }
}
