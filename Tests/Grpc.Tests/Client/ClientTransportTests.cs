using AspireProber.Grpc.Tests.Infrastructure;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace AspireProber.Grpc.Tests.Client;

/// <summary>What the client makes of the transport: refused connections, servers that are not gRPC, compression, size limits.</summary>
public sealed class ClientTransportTests
{
    [Fact]
    public async Task Connection_refused_is_UNAVAILABLE_naming_the_address()
    {
        var dead = ClientTestServers.DeadAddress();
        using var channel = GrpcChannel.ForAddress(dead);

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.CreateCallInvoker().AsyncUnaryCall(TestService.Unary, null, default, "m").ResponseAsync.Within());

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains(dead.ToString(), error.Status.Detail);
        Assert.Contains("refused", error.Status.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Http1_only_server_is_INTERNAL_naming_the_HTTP2_error()
    {
        await using var server = await GrpcTestServer.StartAsync(
            services => services.AddGrpcServer().AddSingleton(new TestHandlers()),
            endpoints => endpoints.MapGrpcService<ScriptedTestService>(),
            HttpProtocols.Http1);
        using var channel = GrpcChannel.ForAddress(server.Address);

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.CreateCallInvoker().AsyncUnaryCall(TestService.Unary, null, default, "m").ResponseAsync.Within());

        // Kestrel's HTTP/1.1-only endpoint refuses the h2c preface with GOAWAY HTTP_1_1_REQUIRED (PROTOCOL-HTTP2.md: INTERNAL).
        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Contains("HTTP_1_1_REQUIRED", error.Status.Detail);
    }

    [Theory]
    [InlineData(404, "text/plain", StatusCode.Unimplemented)]
    [InlineData(503, "text/html", StatusCode.Unavailable)]
    [InlineData(401, "text/html", StatusCode.Unauthenticated)]
    [InlineData(200, "text/html", StatusCode.Unknown)]
    public async Task Non_gRPC_response_maps_its_HTTP_status(int httpStatus, string contentType, StatusCode expected)
    {
        await using var server = await GrpcTestServer.StartAsync(_ => { },
            endpoints => endpoints.MapPost("/test.v1.TestService/Unary", context =>
            {
                context.Response.StatusCode = httpStatus;
                context.Response.ContentType = contentType;
                return context.Response.WriteAsync("<html>not gRPC</html>");
            }));
        using var channel = GrpcChannel.ForAddress(server.Address);

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.CreateCallInvoker().AsyncUnaryCall(TestService.Unary, null, default, "m").ResponseAsync.Within());

        Assert.Equal(expected, error.StatusCode);
        Assert.Contains(httpStatus.ToString(), error.Status.Detail);
    }

    [Fact]
    public async Task Gzip_compresses_requests_when_asked_and_decompresses_responses()
    {
        string? requestEncoding = null;
        var handlers = new TestHandlers
        {
            ClientStreaming = async (reader, context) =>
            {
                requestEncoding = context.GetHttpContext().Request.Headers["grpc-encoding"];
                var parts = new List<string>();
                await foreach (var item in reader.ReadAllAsync())
                {
                    parts.Add(item);
                }
                return string.Join(",", parts);
            },
        };
        await using var server = await ClientTestServers.StartAsync(handlers, options => options.ResponseCompressionAlgorithm = "gzip");
        var recorder = new WireRecorder(new SocketsHttpHandler());
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { HttpHandler = recorder });
        var headers = new Metadata { { "grpc-internal-encoding-request", "gzip" } };

        using var call = channel.CreateCallInvoker().AsyncClientStreamingCall(TestService.ClientStreaming, null, new CallOptions(headers));
        var text = new string('a', 10_000);
        await call.RequestStream.WriteAsync(text);
        call.RequestStream.WriteOptions = new WriteOptions(WriteFlags.NoCompress);
        await call.RequestStream.WriteAsync("plain");
        await call.RequestStream.CompleteAsync();
        var response = await call.ResponseAsync.Within();

        Assert.Equal(text + ",plain", response);
        Assert.Equal("gzip", requestEncoding);
        Assert.Equal("gzip", recorder.ResponseEncoding);
        Assert.False(recorder.RequestHeaders!.Contains("grpc-internal-encoding-request"));
        Assert.Equal("identity,gzip,deflate", string.Join(",", recorder.RequestHeaders.GetValues("grpc-accept-encoding")));
        // The first frame is compressed (flag 1) and much smaller than its 10 kB; the NoCompress one is flag 0.
        Assert.Equal(2, recorder.RequestFrames.Count);
        Assert.Equal(1, recorder.RequestFrames[0].Flag);
        Assert.True(recorder.RequestFrames[0].Length < 1000);
        Assert.Equal(0, recorder.RequestFrames[1].Flag);
    }

    [Fact]
    public async Task Response_over_the_receive_limit_is_RESOURCE_EXHAUSTED()
    {
        var handlers = new TestHandlers { Unary = (_, _) => Task.FromResult(new string('x', 2000)) };
        await using var server = await ClientTestServers.StartAsync(handlers);
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { MaxReceiveMessageSize = 1000 });

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.CreateCallInvoker().AsyncUnaryCall(TestService.Unary, null, default, "m").ResponseAsync.Within());

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task Request_over_the_send_limit_fails_before_sending()
    {
        var calls = 0;
        var handlers = new TestHandlers { Unary = (request, _) => { calls++; return Task.FromResult(request); } };
        await using var server = await ClientTestServers.StartAsync(handlers);
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { MaxSendMessageSize = 10 });

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.CreateCallInvoker().AsyncUnaryCall(TestService.Unary, null, default, new string('x', 11)).ResponseAsync.Within());

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal(0, calls);
    }

    /// <summary>Records request headers, the frame headers of the request body and the response's grpc-encoding.</summary>
    private sealed class WireRecorder(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        public System.Net.Http.Headers.HttpRequestHeaders? RequestHeaders { get; private set; }
        public List<(byte Flag, int Length)> RequestFrames { get; } = new();
        public string? ResponseEncoding { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            RequestHeaders = request.Headers;
            request.Content = new RecordingContent(request.Content!, RequestFrames);
            var response = await base.SendAsync(request, cancellationToken);
            ResponseEncoding = response.Headers.TryGetValues("grpc-encoding", out var values) ? values.Single() : null;
            return response;
        }
    }

    private sealed class RecordingContent : HttpContent
    {
        private readonly HttpContent _inner;
        private readonly List<(byte Flag, int Length)> _frames;

        public RecordingContent(HttpContent inner, List<(byte Flag, int Length)> frames)
        {
            _inner = inner;
            _frames = frames;
            Headers.ContentType = inner.Headers.ContentType;
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            _inner.CopyToAsync(new FrameSniffer(stream, _frames));

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }

    /// <summary>Passes writes through and parses frame headers out of them (each write here starts on a frame boundary or continues one).</summary>
    private sealed class FrameSniffer(Stream inner, List<(byte Flag, int Length)> frames) : Stream
    {
        private readonly List<byte> _pending = new();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _pending.AddRange(buffer.ToArray());
            while (_pending.Count >= 5)
            {
                var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(_pending.GetRange(1, 4).ToArray());
                if (_pending.Count < 5 + length)
                {
                    break;
                }
                frames.Add((_pending[0], length));
                _pending.RemoveRange(0, 5 + length);
            }
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override void Flush() => inner.Flush();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
