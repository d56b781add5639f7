using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;

namespace AspireProber.DashboardBench;

/// <summary>How a batch reaches the dashboard: one HTTP request per batch, as OTLP exporters send them.</summary>
internal interface ISender : IDisposable
{
    /// <summary>Sends one serialized ExportTraceServiceRequest; throws unless the dashboard accepted it.</summary>
    Task SendAsync(byte[] batch);
}

/// <summary>OTLP/HTTP: POST /v1/traces with a protobuf body over HTTP/1.1 (a pool of keep-alive connections).</summary>
internal sealed class HttpSender(Uri otlpHttp) : ISender
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { MaxConnectionsPerServer = 64 });
    private readonly Uri _url = new(otlpHttp, "v1/traces");
    private static readonly MediaTypeHeaderValue Protobuf = new("application/x-protobuf");

    public async Task SendAsync(byte[] batch)
    {
        var content = new ByteArrayContent(batch);
        content.Headers.ContentType = Protobuf;
        using var response = await _client.PostAsync(_url, content);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"OTLP/HTTP answered {(int)response.StatusCode}.");
        }
    }

    public void Dispose() => _client.Dispose();
}

/// <summary>OTLP/gRPC: TraceService/Export over one h2c connection (as a gRPC channel would), status read from the trailers.</summary>
internal sealed class GrpcSender(Uri otlpGrpc) : ISender
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { EnableMultipleHttp2Connections = false });
    private readonly Uri _url = new(otlpGrpc, "/opentelemetry.proto.collector.trace.v1.TraceService/Export");
    private static readonly MediaTypeHeaderValue Grpc = new("application/grpc");

    public async Task SendAsync(byte[] batch)
    {
        var framed = new byte[5 + batch.Length];
        BinaryPrimitives.WriteInt32BigEndian(framed.AsSpan(1), batch.Length);
        batch.CopyTo(framed, 5);
        var content = new ByteArrayContent(framed);
        content.Headers.ContentType = Grpc;
        using var request = new HttpRequestMessage(HttpMethod.Post, _url)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        using var response = await _client.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        var status = response.TrailingHeaders.TryGetValues("grpc-status", out var values) ? values.Single()
            : response.Headers.TryGetValues("grpc-status", out values) ? values.Single() : "missing";
        if (status != "0")
        {
            throw new InvalidOperationException($"OTLP/gRPC answered grpc-status {status}.");
        }
    }

    public void Dispose() => _client.Dispose();
}
