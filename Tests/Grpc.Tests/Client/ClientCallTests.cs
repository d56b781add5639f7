using System.Text;
using AspireProber.Grpc.Tests.Infrastructure;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Status = Grpc.Core.Status;
using StatusCode = Grpc.Core.StatusCode;

namespace AspireProber.Grpc.Tests.Client;

/// <summary>The four call shapes, metadata and status through GrpcChannel against the real server.</summary>
public sealed class ClientCallTests : IAsyncLifetime
{
    private readonly TestHandlers _handlers = new();
    private GrpcTestServer _server = null!;
    private GrpcChannel _channel = null!;
    private CallInvoker _invoker = null!;

    public async Task InitializeAsync()
    {
        _server = await ClientTestServers.StartAsync(_handlers);
        _channel = GrpcChannel.ForAddress(_server.Address);
        _invoker = _channel.CreateCallInvoker();
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Unary_returns_the_response_and_OK()
    {
        using var call = _invoker.AsyncUnaryCall(TestService.Unary, null, default, "hello");

        Assert.Equal("hello", await call.ResponseAsync.Within());
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        Assert.Empty(call.GetTrailers());
    }

    [Fact]
    public void Blocking_unary_call_returns_the_response()
    {
        Assert.Equal("sync", _invoker.BlockingUnaryCall(TestService.Unary, null, default, "sync"));
    }

    [Fact]
    public async Task Server_streaming_reads_every_message_then_ends()
    {
        using var call = _invoker.AsyncServerStreamingCall(TestService.ServerStreaming, null, default, "a,b,c");

        var received = await call.ResponseStream.ReadAllAsync().ToListAsync().AsTask().Within();

        Assert.Equal(["a", "b", "c"], received);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
    }

    [Fact]
    public async Task Client_streaming_sends_every_message_and_half_closes()
    {
        using var call = _invoker.AsyncClientStreamingCall(TestService.ClientStreaming, null, default);

        await call.RequestStream.WriteAsync("x");
        await call.RequestStream.WriteAsync("y");
        await call.RequestStream.WriteAsync("z");
        await call.RequestStream.CompleteAsync();

        Assert.Equal("x,y,z", await call.ResponseAsync.Within());
        var afterCompletion = await Assert.ThrowsAsync<InvalidOperationException>(() => call.RequestStream.WriteAsync("late"));
        Assert.Contains("complete", afterCompletion.Message);
    }

    [Fact]
    public async Task Duplex_echoes_each_message_while_the_request_stream_is_open()
    {
        using var call = _invoker.AsyncDuplexStreamingCall(TestService.Duplex, null, default);

        foreach (var item in new[] { "one", "two", "three" })
        {
            await call.RequestStream.WriteAsync(item);
            // Each echo arrives before the next write: both directions are live at once.
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).Within());
            Assert.Equal(item, call.ResponseStream.Current);
        }
        await call.RequestStream.CompleteAsync();

        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None).Within());
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Concurrent_writes_are_rejected()
    {
        var release = new TaskCompletionSource();
        _handlers.ClientStreaming = async (_, _) =>
        {
            await release.Task; // Never reads, so the client's flow-control window fills up.
            return "done";
        };
        using var call = _invoker.AsyncClientStreamingCall(BytesClientStreaming, null, default);

        Task pending = Task.CompletedTask;
        var big = new byte[1024 * 1024];
        for (var i = 0; i < 10 && pending.IsCompleted; i++)
        {
            pending = call.RequestStream.WriteAsync(big);
            await Task.WhenAny(pending, Task.Delay(200));
        }
        Assert.False(pending.IsCompleted, "a write should be held up by flow control");

        var concurrent = await Assert.ThrowsAsync<InvalidOperationException>(() => call.RequestStream.WriteAsync(big));
        Assert.Contains("previous write is in progress", concurrent.Message);
        release.SetResult();
    }

    [Fact]
    public async Task Metadata_travels_both_ways_including_binary_headers_and_trailers()
    {
        Metadata? seen = null;
        _handlers.Unary = async (request, context) =>
        {
            seen = context.RequestHeaders;
            await context.WriteResponseHeadersAsync(new Metadata { { "reply-header", "h" }, { "reply-header-bin", new byte[] { 0, 255 } } });
            context.ResponseTrailers.Add("reply-trailer", "t");
            context.ResponseTrailers.Add("reply-trailer-bin", new byte[] { 1, 2, 3 });
            return request;
        };
        var headers = new Metadata { { "x-request", "value" }, { "x-request-bin", new byte[] { 0xDE, 0xAD, 0xBE, 0xEF } } };

        using var call = _invoker.AsyncUnaryCall(TestService.Unary, null, new CallOptions(headers), "m");
        var responseHeaders = await call.ResponseHeadersAsync.Within();
        await call.ResponseAsync.Within();

        Assert.Equal("value", seen!.GetValue("x-request"));
        Assert.Equal(new byte[] { 0xDE, 0xAD, 0xBE, 0xEF }, seen.GetValueBytes("x-request-bin"));
        Assert.Equal("grpc-dotnet-aspireprober/1.0", seen.GetValue("user-agent"));
        Assert.Equal("h", responseHeaders.GetValue("reply-header"));
        Assert.Equal(new byte[] { 0, 255 }, responseHeaders.GetValueBytes("reply-header-bin"));
        Assert.Equal("t", call.GetTrailers().GetValue("reply-trailer"));
        Assert.Equal(new byte[] { 1, 2, 3 }, call.GetTrailers().GetValueBytes("reply-trailer-bin"));
    }

    [Fact]
    public async Task Error_status_carries_message_trailers_and_rich_details()
    {
        _handlers.Unary = (_, _) =>
        {
            var status = new Google.Rpc.Status { Code = (int)StatusCode.InvalidArgument, Message = "bad \"url\" 100% ✓" }
                .AddDetail(new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = "url", Description = "must be absolute" } } });
            throw status.ToRpcException();
        };

        using var call = _invoker.AsyncUnaryCall(TestService.Unary, null, default, "m");
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.Within());

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("bad \"url\" 100% ✓", error.Status.Detail);
        var details = error.GetRpcStatus();
        Assert.NotNull(details);
        Assert.Equal("url", details.GetDetail<BadRequest>()!.FieldViolations.Single().Field);
        Assert.Equal(StatusCode.InvalidArgument, call.GetStatus().StatusCode);
        var headersError = await Assert.ThrowsAsync<RpcException>(() => call.ResponseHeadersAsync);
        Assert.Equal(StatusCode.InvalidArgument, headersError.StatusCode);
    }

    [Fact]
    public async Task Trailers_Only_response_ends_a_stream_with_its_status()
    {
        _handlers.ServerStreaming = (_, _, _) => throw new RpcException(new Status(StatusCode.NotFound, "no such thing"));

        using var call = _invoker.AsyncServerStreamingCall(TestService.ServerStreaming, null, default, "x");
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).Within());

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("no such thing", error.Status.Detail);
    }

    [Fact]
    public async Task Stream_error_after_messages_surfaces_with_the_trailers()
    {
        _handlers.ServerStreaming = async (_, writer, context) =>
        {
            await writer.WriteAsync("first");
            context.ResponseTrailers.Add("why", "because");
            throw new RpcException(new Status(StatusCode.Aborted, "stopped"));
        };

        using var call = _invoker.AsyncServerStreamingCall(TestService.ServerStreaming, null, default, "x");
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).Within());
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).Within());

        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.Equal("because", error.Trailers.GetValue("why"));
    }

    [Fact]
    public async Task Status_and_trailers_are_unavailable_until_the_call_ends()
    {
        var release = new TaskCompletionSource<string>();
        _handlers.Unary = (_, _) => release.Task;

        using var call = _invoker.AsyncUnaryCall(TestService.Unary, null, default, "m");

        Assert.Throws<InvalidOperationException>(() => call.GetStatus());
        Assert.Throws<InvalidOperationException>(() => call.GetTrailers());
        release.SetResult("done");
        Assert.Equal("done", await call.ResponseAsync.Within());
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Unimplemented_method_is_UNIMPLEMENTED()
    {
        var missing = new Method<string, string>(MethodType.Unary, "test.v1.Missing", "Nope", Marshallers.StringMarshaller, Marshallers.StringMarshaller);

        var error = await Assert.ThrowsAsync<RpcException>(() => _invoker.AsyncUnaryCall(missing, null, default, "m").ResponseAsync.Within());

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    [Fact]
    public async Task Interceptors_wrap_calls_of_a_client_made_from_the_channel()
    {
        var recording = new RecordingInterceptor();
        var client = new TestClient(_channel).WithInterceptors(recording);
        Metadata? seen = null;
        _handlers.Unary = (request, context) =>
        {
            seen = context.RequestHeaders;
            return Task.FromResult(request);
        };

        Assert.Equal("hi", await client.UnaryAsync("hi").ResponseAsync.Within());

        Assert.Equal(["/test.v1.TestService/Unary"], recording.Methods);
        Assert.Equal("yes", seen!.GetValue("intercepted"));
    }

    private static readonly Method<byte[], string> BytesClientStreaming =
        new(MethodType.ClientStreaming, TestService.ServiceName, "ClientStreaming", Marshallers.BytesMarshaller, Marshallers.StringMarshaller);

    private sealed class RecordingInterceptor : Interceptor
    {
        public List<string> Methods { get; } = new();

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
        {
            Methods.Add(context.Method.FullName);
            var headers = new Metadata { { "intercepted", "yes" } };
            return continuation(request, new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithHeaders(headers)));
        }
    }

    /// <summary>A client in the shape the generator emits.</summary>
    private sealed class TestClient : ClientBase<TestClient>
    {
        public TestClient(ChannelBase channel) : base(channel) { }

        private TestClient(CallInvoker invoker) : base(invoker) { }

        public AsyncUnaryCall<string> UnaryAsync(string request, CallOptions options = default) =>
            CallInvoker.AsyncUnaryCall(TestService.Unary, null, options, request);

        protected override TestClient NewInstance(CallInvoker callInvoker) => new(callInvoker);
    }
}
