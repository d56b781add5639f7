using System.Diagnostics;
using AspireProber.Grpc.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;

namespace AspireProber.Grpc.Tests.Client;

/// <summary>Deadlines and cancellation end calls locally, on time, and reset the stream so the server stops too.</summary>
public sealed class ClientDeadlineAndCancellationTests : IAsyncLifetime
{
    private readonly TestHandlers _handlers = new();
    private GrpcTestServer _server = null!;
    private GrpcChannel _channel = null!;
    private CallInvoker _invoker = null!;
    private int _serverCalls;

    public async Task InitializeAsync()
    {
        _server = await ClientTestServers.StartAsync(_handlers, options => options.Interceptors.Add(new CountingInterceptor(() => Interlocked.Increment(ref _serverCalls))));
        _channel = GrpcChannel.ForAddress(_server.Address);
        _invoker = _channel.CreateCallInvoker();
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Deadline_ends_the_call_locally_even_when_the_server_never_answers()
    {
        // A bare endpoint with no gRPC deadline handling: it never answers and only learns of a stream reset.
        var requestAborted = new TaskCompletionSource();
        await using var silent = await GrpcTestServer.StartAsync(_ => { }, endpoints => endpoints.MapPost("/test.v1.TestService/Unary", async context =>
        {
            var aborted = context.RequestAborted;
            aborted.Register(() => requestAborted.TrySetResult());
            await Task.Delay(Timeout.Infinite, aborted).ContinueWith(_ => { });
        }));
        using var channel = GrpcChannel.ForAddress(silent.Address);
        var stopwatch = Stopwatch.StartNew();

        using var call = channel.CreateCallInvoker().AsyncUnaryCall(TestService.Unary, null, new CallOptions(deadline: DateTime.UtcNow.AddMilliseconds(300)), "m");
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.Within());

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.InRange(stopwatch.ElapsedMilliseconds, 250, 1300);
        Assert.Equal(StatusCode.DeadlineExceeded, call.GetStatus().StatusCode);
        await requestAborted.Task.Within(); // the stream was reset (RST_STREAM)
    }

    [Fact]
    public async Task Deadline_is_sent_as_grpc_timeout()
    {
        string? timeout = null;
        _handlers.Unary = (request, context) =>
        {
            timeout = context.GetHttpContext().Request.Headers["grpc-timeout"];
            return Task.FromResult(request);
        };

        await _invoker.AsyncUnaryCall(TestService.Unary, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(5)), "m").ResponseAsync.Within();

        Assert.NotNull(timeout);
        Assert.Matches("^[0-9]{1,8}[HMSmun]$", timeout);
    }

    [Fact]
    public async Task Expired_deadline_fails_at_once_without_a_request()
    {
        using var call = _invoker.AsyncUnaryCall(TestService.Unary, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(-1)), "m");

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.Within(1));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        await Task.Delay(100);
        Assert.Equal(0, Volatile.Read(ref _serverCalls));
    }

    [Fact]
    public async Task Deadline_ends_a_server_stream_that_stalls()
    {
        _handlers.ServerStreaming = async (_, writer, context) =>
        {
            await writer.WriteAsync("first");
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        };

        using var call = _invoker.AsyncServerStreamingCall(TestService.ServerStreaming, null, new CallOptions(deadline: DateTime.UtcNow.AddMilliseconds(400)), "m");

        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).Within());
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).Within(2));
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
    }

    [Fact]
    public async Task Cancelling_mid_stream_ends_the_call_with_CANCELLED_and_the_server_sees_it()
    {
        var serverCancelled = new TaskCompletionSource();
        _handlers.ServerStreaming = async (_, writer, context) =>
        {
            try
            {
                for (var i = 0; ; i++)
                {
                    await writer.WriteAsync(i.ToString());
                    await Task.Delay(20, context.CancellationToken);
                }
            }
            catch (Exception) when (context.CancellationToken.IsCancellationRequested)
            {
                serverCancelled.TrySetResult();
                throw;
            }
        };
        using var cts = new CancellationTokenSource();

        using var call = _invoker.AsyncServerStreamingCall(TestService.ServerStreaming, null, new CallOptions(cancellationToken: cts.Token), "m");
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).Within());
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).Within());
        cts.Cancel();

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None).Within())
            {
            }
        });
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        Assert.Equal(StatusCode.Cancelled, call.GetStatus().StatusCode);
        await serverCancelled.Task.Within();
    }

    [Fact]
    public async Task Disposing_a_duplex_call_resets_it()
    {
        var serverCancelled = new TaskCompletionSource();
        _handlers.Duplex = async (reader, writer, context) =>
        {
            try
            {
                await foreach (var item in reader.ReadAllAsync(context.CancellationToken))
                {
                    await writer.WriteAsync(item);
                }
            }
            finally
            {
                if (context.CancellationToken.IsCancellationRequested)
                {
                    serverCancelled.TrySetResult();
                }
            }
        };

        var call = _invoker.AsyncDuplexStreamingCall(TestService.Duplex, null, default);
        await call.RequestStream.WriteAsync("ping");
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).Within());
        call.Dispose();

        Assert.Equal(StatusCode.Cancelled, call.GetStatus().StatusCode);
        var error = await Assert.ThrowsAsync<RpcException>(() => call.RequestStream.WriteAsync("after"));
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        await serverCancelled.Task.Within();
    }

    [Fact]
    public async Task Already_cancelled_token_fails_without_a_request()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _invoker.AsyncUnaryCall(TestService.Unary, null, new CallOptions(cancellationToken: new CancellationToken(true)), "m").ResponseAsync.Within(1));

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        Assert.Equal(0, Volatile.Read(ref _serverCalls));
    }

    private sealed class CountingInterceptor(Action onCall) : global::Grpc.Core.Interceptors.Interceptor
    {
        public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        {
            onCall();
            return continuation(request, context);
        }
    }
}
