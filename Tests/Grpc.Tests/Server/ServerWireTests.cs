using AspireProber.Grpc.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AspireProber.Grpc.Tests.Server;

/// <summary>The server as seen on the wire by a plain HTTP/2 client: framing, status, trailers and bad input.</summary>
public sealed class ServerWireTests : IAsyncLifetime
{
    private readonly TestHandlers _handlers = new();
    private GrpcTestServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await GrpcTestServer.StartAsync(
            services => services.AddGrpcServer().AddSingleton(_handlers),
            endpoints => endpoints.MapGrpcService<ScriptedTestService>());
        _http = _server.CreateRawHttp2Client();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Unary_echoes_the_message_with_status_OK_in_trailers()
    {
        using var response = await _http.SendAsync(GrpcFrames.Request("/test.v1.TestService/Unary", GrpcFrames.Frame("hello")));
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/grpc", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["hello"], GrpcFrames.ParseStrings(body));
        Assert.Equal("0", response.TrailingHeaders.GetValues("grpc-status").Single());
    }

    [Fact]
    public async Task Server_streaming_writes_each_message_then_OK()
    {
        using var response = await _http.SendAsync(GrpcFrames.Request("/test.v1.TestService/ServerStreaming", GrpcFrames.Frame("a,b,c")));
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(["a", "b", "c"], GrpcFrames.ParseStrings(body));
        Assert.Equal("0", GrpcFrames.GrpcStatus(response));
    }

    [Fact]
    public async Task Client_streaming_reads_every_message()
    {
        var body = GrpcFrames.Frame("x").Concat(GrpcFrames.Frame("y")).Concat(GrpcFrames.Frame("z")).ToArray();
        using var response = await _http.SendAsync(GrpcFrames.Request("/test.v1.TestService/ClientStreaming", body));

        Assert.Equal(["x,y,z"], GrpcFrames.ParseStrings(await response.Content.ReadAsByteArrayAsync()));
        Assert.Equal("0", GrpcFrames.GrpcStatus(response));
    }

    [Fact]
    public async Task RpcException_status_and_percent_encoded_message_go_out_as_Trailers_Only()
    {
        _handlers.Unary = (_, _) => throw new RpcException(new Status(StatusCode.InvalidArgument, "bad \"x\" 100% ✓"));
        using var response = await _http.SendAsync(GrpcFrames.Request("/test.v1.TestService/Unary", GrpcFrames.Frame("hello")));
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Empty(body);
        Assert.Equal("3", response.Headers.GetValues("grpc-status").Single());
        Assert.Equal("bad \"x\" 100%25 %E2%9C%93", response.Headers.GetValues("grpc-message").Single());
    }

    [Fact]
    public async Task Handler_exception_is_UNKNOWN_without_leaking_its_message()
    {
        _handlers.Unary = (_, _) => throw new InvalidOperationException("secret connection string");
        using var response = await _http.SendAsync(GrpcFrames.Request("/test.v1.TestService/Unary", GrpcFrames.Frame("hello")));
        await response.Content.ReadAsByteArrayAsync();

        Assert.Equal("2", GrpcFrames.GrpcStatus(response));
        Assert.DoesNotContain("secret", GrpcFrames.GrpcMessage(response));
    }

    [Theory]
    [InlineData("/test.v1.TestService/NoSuchMethod", "Method is unimplemented.")]
    [InlineData("/test.v1.NoSuchService/Unary", "Service is unimplemented.")]
    public async Task Unknown_method_or_service_is_UNIMPLEMENTED(string path, string message)
    {
        using var response = await _http.SendAsync(GrpcFrames.Request(path, GrpcFrames.Frame("hello")));
        await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("12", GrpcFrames.GrpcStatus(response));
        Assert.Equal(message, GrpcFrames.GrpcMessage(response));
    }

    [Fact]
    public async Task Wrong_content_type_is_HTTP_415()
    {
        using var response = await _http.SendAsync(GrpcFrames.Request("/test.v1.TestService/Unary", GrpcFrames.Frame("hello"), "application/json"));

        Assert.Equal(415, (int)response.StatusCode);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("123456789S")]
    [InlineData("10X")]
    [InlineData("-5S")]
    public async Task Garbage_timeout_is_INTERNAL_naming_the_header(string timeout)
    {
        var request = GrpcFrames.Request("/test.v1.TestService/Unary", GrpcFrames.Frame("hello"));
        request.Headers.TryAddWithoutValidation("grpc-timeout", timeout);
        using var response = await _http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();

        Assert.Equal("13", GrpcFrames.GrpcStatus(response));
        Assert.Contains("grpc-timeout", GrpcFrames.GrpcMessage(response));
    }

    [Fact]
    public async Task Truncated_frame_is_INTERNAL()
    {
        var frame = GrpcFrames.Frame("hello");
        using var response = await _http.SendAsync(GrpcFrames.Request("/test.v1.TestService/Unary", frame[..7]));
        await response.Content.ReadAsByteArrayAsync();

        Assert.Equal("13", GrpcFrames.GrpcStatus(response));
    }

    [Fact]
    public async Task Length_prefix_over_the_limit_is_RESOURCE_EXHAUSTED_without_sending_the_payload()
    {
        var frame = GrpcFrames.Frame([1, 2, 3], declaredLength: 5 * 1024 * 1024);
        using var response = await _http.SendAsync(GrpcFrames.Request("/test.v1.TestService/Unary", frame));
        await response.Content.ReadAsByteArrayAsync();

        Assert.Equal("8", GrpcFrames.GrpcStatus(response));
    }

    [Fact]
    public async Task Compressed_flag_without_encoding_is_INTERNAL()
    {
        using var response = await _http.SendAsync(GrpcFrames.Request("/test.v1.TestService/Unary", GrpcFrames.Frame("hello"u8.ToArray(), compressedFlag: 1)));
        await response.Content.ReadAsByteArrayAsync();

        Assert.Equal("13", GrpcFrames.GrpcStatus(response));
    }

    [Fact]
    public async Task Unknown_request_encoding_is_UNIMPLEMENTED_listing_the_supported_ones()
    {
        var request = GrpcFrames.Request("/test.v1.TestService/Unary", GrpcFrames.Frame("hello"));
        request.Headers.TryAddWithoutValidation("grpc-encoding", "snappy");
        using var response = await _http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();

        Assert.Equal("12", GrpcFrames.GrpcStatus(response));
        Assert.Contains("gzip", response.Headers.GetValues("grpc-accept-encoding").Single());
    }

    [Fact]
    public async Task Second_message_in_a_unary_request_is_INTERNAL()
    {
        var body = GrpcFrames.Frame("one").Concat(GrpcFrames.Frame("two")).ToArray();
        using var response = await _http.SendAsync(GrpcFrames.Request("/test.v1.TestService/Unary", body));
        await response.Content.ReadAsByteArrayAsync();

        Assert.Equal("13", GrpcFrames.GrpcStatus(response));
    }

    [Fact]
    public async Task Deadline_ends_the_call_with_DEADLINE_EXCEEDED_while_the_handler_still_runs()
    {
        var handlerCancelled = new TaskCompletionSource();
        var releaseHandler = new TaskCompletionSource();
        _handlers.Unary = async (_, context) =>
        {
            context.CancellationToken.Register(() => handlerCancelled.TrySetResult());
            // Ignores its token on purpose: the status must go out without the handler's help.
            await releaseHandler.Task;
            return "never";
        };
        var request = GrpcFrames.Request("/test.v1.TestService/Unary", GrpcFrames.Frame("hello"));
        request.Headers.TryAddWithoutValidation("grpc-timeout", "200m");
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var response = await _http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();

        Assert.Equal("4", GrpcFrames.GrpcStatus(response));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"took {started.Elapsed}");
        await handlerCancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
        releaseHandler.SetResult();
    }

    [Fact]
    public async Task Server_keeps_serving_after_bad_calls()
    {
        using (var bad = await _http.SendAsync(GrpcFrames.Request("/test.v1.TestService/Unary", [0, 0, 0])))
        {
            await bad.Content.ReadAsByteArrayAsync();
        }
        using var good = await _http.SendAsync(GrpcFrames.Request("/test.v1.TestService/Unary", GrpcFrames.Frame("still here")));

        Assert.Equal(["still here"], GrpcFrames.ParseStrings(await good.Content.ReadAsByteArrayAsync()));
    }
}
