using System.Diagnostics;
using AspireProber.Grpc.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;

namespace AspireProber.Grpc.Tests.Client;

/// <summary>Service-config retries: only retryable codes, only before the call is committed, never past the deadline.</summary>
public sealed class ClientRetryTests : IAsyncLifetime
{
    private readonly TestHandlers _handlers = new();
    private readonly List<string?> _previousAttempts = new();
    private GrpcTestServer _server = null!;
    private GrpcChannel _channel = null!;
    private CallInvoker _invoker = null!;

    public async Task InitializeAsync()
    {
        _server = await ClientTestServers.StartAsync(_handlers);
        var retry = new RetryPolicy { MaxAttempts = 4, InitialBackoff = TimeSpan.FromMilliseconds(10), MaxBackoff = TimeSpan.FromMilliseconds(50), BackoffMultiplier = 2 };
        retry.RetryableStatusCodes.Add(StatusCode.Unavailable);
        var methodConfig = new MethodConfig { RetryPolicy = retry };
        methodConfig.Names.Add(MethodName.Default);
        var serviceConfig = new ServiceConfig();
        serviceConfig.MethodConfigs.Add(methodConfig);
        _channel = GrpcChannel.ForAddress(_server.Address, new GrpcChannelOptions { ServiceConfig = serviceConfig });
        _invoker = _channel.CreateCallInvoker();
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Unary_call_is_retried_until_it_succeeds()
    {
        _handlers.Unary = (request, context) => Task.FromResult(Attempt(context) <= 2 ? throw Unavailable() : request);

        Assert.Equal("m", await _invoker.AsyncUnaryCall(TestService.Unary, null, default, "m").ResponseAsync.Within());

        Assert.Equal([null, "1", "2"], _previousAttempts);
    }

    [Fact]
    public async Task Retries_stop_at_max_attempts()
    {
        _handlers.Unary = (_, context) => Task.FromResult(Attempt(context) > 0 ? throw Unavailable() : "");

        var error = await Assert.ThrowsAsync<RpcException>(() => _invoker.AsyncUnaryCall(TestService.Unary, null, default, "m").ResponseAsync.Within());

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(4, _previousAttempts.Count);
    }

    [Fact]
    public async Task A_non_retryable_code_is_not_retried()
    {
        _handlers.Unary = (_, context) => Task.FromResult(Attempt(context) > 0 ? throw new RpcException(new Status(StatusCode.InvalidArgument, "no")) : "");

        var error = await Assert.ThrowsAsync<RpcException>(() => _invoker.AsyncUnaryCall(TestService.Unary, null, default, "m").ResponseAsync.Within());

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Single(_previousAttempts);
    }

    [Fact]
    public async Task Server_stream_is_retried_before_any_response_but_not_after_a_message()
    {
        _handlers.ServerStreaming = async (_, writer, context) =>
        {
            if (Attempt(context) == 1)
            {
                throw Unavailable(); // Trailers-Only: nothing of the response reached the caller, so retrying is safe.
            }
            await writer.WriteAsync("first");
            throw Unavailable(); // Committed: the caller saw a message, so this one is final.
        };

        using var call = _invoker.AsyncServerStreamingCall(TestService.ServerStreaming, null, default, "m");
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).Within());
        Assert.Equal("first", call.ResponseStream.Current);
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).Within());

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(2, _previousAttempts.Count);
    }

    [Fact]
    public async Task Client_streaming_is_never_retried()
    {
        _handlers.ClientStreaming = (_, context) => Task.FromResult(Attempt(context) > 0 ? throw Unavailable() : "");

        using var call = _invoker.AsyncClientStreamingCall(TestService.ClientStreaming, null, default);
        await call.RequestStream.CompleteAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.Within());

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Single(_previousAttempts);
    }

    [Fact]
    public async Task No_retry_waits_past_the_deadline()
    {
        // The server asks for a 5 s pause before the next attempt; the call has 500 ms, so it ends now instead.
        _handlers.Unary = (_, context) => Task.FromResult(Attempt(context) > 0
            ? throw new RpcException(new Status(StatusCode.Unavailable, "busy"), new Metadata { { "grpc-retry-pushback-ms", "5000" } })
            : "");
        var stopwatch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _invoker.AsyncUnaryCall(TestService.Unary, null, new CallOptions(deadline: DateTime.UtcNow.AddMilliseconds(500)), "m").ResponseAsync.Within());

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.True(stopwatch.ElapsedMilliseconds < 450, $"took {stopwatch.ElapsedMilliseconds} ms");
        Assert.Single(_previousAttempts);
    }

    /// <summary>Records the attempt's grpc-previous-rpc-attempts header; returns the 1-based attempt number.</summary>
    private int Attempt(ServerCallContext context)
    {
        lock (_previousAttempts)
        {
            _previousAttempts.Add(context.RequestHeaders.GetValue("grpc-previous-rpc-attempts"));
            return _previousAttempts.Count;
        }
    }

    private static RpcException Unavailable() => new(new Status(StatusCode.Unavailable, "try again"));
}
