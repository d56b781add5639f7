using System.Diagnostics;
using AspireProber.Grpc.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AspireProber.Grpc.Tests.Server;

/// <summary>What wraps a handler: interceptors, service activation, telemetry.</summary>
public sealed class ServerPipelineTests
{
    [Fact]
    public async Task Interceptors_run_outermost_first_and_can_short_circuit()
    {
        var log = new List<string>();
        await using var server = await GrpcTestServer.StartAsync(
            services => services.AddSingleton<TestHandlers>().AddGrpcServer(options =>
            {
                options.Interceptors.Add(new RecordingInterceptor("outer", log));
                options.Interceptors.Add(new RecordingInterceptor("inner", log));
                options.Interceptors.Add(new RejectingInterceptor());
            }),
            endpoints => endpoints.MapGrpcService<ScriptedTestService>());
        using var http = server.CreateRawHttp2Client();

        using (var ok = await http.SendAsync(GrpcFrames.Request("/test.v1.TestService/Unary", GrpcFrames.Frame("hello"))))
        {
            Assert.Equal(["hello"], GrpcFrames.ParseStrings(await ok.Content.ReadAsByteArrayAsync()));
        }
        using var rejected = await http.SendAsync(GrpcFrames.Request("/test.v1.TestService/Unary", GrpcFrames.Frame("forbidden")));
        await rejected.Content.ReadAsByteArrayAsync();

        Assert.Equal(["outer", "inner", "outer", "inner"], log);
        Assert.Equal("7", GrpcFrames.GrpcStatus(rejected));
    }

    [Fact]
    public async Task Server_span_continues_the_callers_trace_with_rpc_tags()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GrpcDiagnostics.ServerName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (spans) { spans.Add(activity); } },
        };
        ActivitySource.AddActivityListener(listener);
        var handlers = new TestHandlers { Unary = (_, _) => throw new RpcException(new Status(StatusCode.Internal, "boom")) };
        await using var server = await GrpcTestServer.StartAsync(
            services => services.AddSingleton(handlers).AddGrpcServer(),
            endpoints => endpoints.MapGrpcService<ScriptedTestService>());
        using var http = server.CreateRawHttp2Client();
        var traceId = ActivityTraceId.CreateRandom();
        var request = GrpcFrames.Request("/test.v1.TestService/Unary", GrpcFrames.Frame("hello"));
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();

        Activity span;
        lock (spans)
        {
            span = Assert.Single(spans, s => s.TraceId == traceId);
        }
        Assert.Equal(ActivityKind.Server, span.Kind);
        Assert.Equal("test.v1.TestService/Unary", span.DisplayName);
        Assert.Equal("grpc", span.GetTagItem("rpc.system"));
        Assert.Equal("test.v1.TestService", span.GetTagItem("rpc.service"));
        Assert.Equal("Unary", span.GetTagItem("rpc.method"));
        Assert.Equal(13, span.GetTagItem("rpc.grpc.status_code"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
    }

    [Fact]
    public async Task A_write_started_before_the_previous_one_finished_is_reported_to_the_handler()
    {
        var secondWrite = new TaskCompletionSource<Exception?>();
        var handlers = new TestHandlers
        {
            ServerStreaming = async (_, writer, _) =>
            {
                var first = writer.WriteAsync(new string('x', 1_000_000));
                try
                {
                    await writer.WriteAsync("overlapping");
                    secondWrite.TrySetResult(null);
                }
                catch (Exception ex)
                {
                    secondWrite.TrySetResult(ex);
                }
                await first;
            },
        };
        await using var server = await GrpcTestServer.StartAsync(
            services => services.AddSingleton(handlers).AddGrpcServer(),
            endpoints => endpoints.MapGrpcService<ScriptedTestService>());
        using var http = server.CreateRawHttp2Client();

        using var response = await http.SendAsync(GrpcFrames.Request("/test.v1.TestService/ServerStreaming", GrpcFrames.Frame("x")));
        await response.Content.ReadAsByteArrayAsync();

        Assert.IsType<InvalidOperationException>(await secondWrite.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_service_created_per_call_is_disposed_after_the_call()
    {
        var disposals = new DisposalCounter();
        await using var server = await GrpcTestServer.StartAsync(
            services => services.AddSingleton(disposals).AddGrpcServer(),
            endpoints => endpoints.MapGrpcService<DisposableTestService>());
        using var http = server.CreateRawHttp2Client();

        for (var i = 0; i < 3; i++)
        {
            using var response = await http.SendAsync(GrpcFrames.Request("/test.v1.TestService/Unary", GrpcFrames.Frame("hi")));
            Assert.Equal(["hi"], GrpcFrames.ParseStrings(await response.Content.ReadAsByteArrayAsync()));
        }

        Assert.Equal(3, disposals.Count);
    }

    public sealed class DisposalCounter
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Increment() => Interlocked.Increment(ref _count);
    }

    private sealed class DisposableTestService(DisposalCounter disposals) : TestServiceBase, IDisposable
    {
        public override Task<string> Unary(string request, ServerCallContext context) => Task.FromResult(request);

        public void Dispose() => disposals.Increment();
    }

    private sealed class RecordingInterceptor(string name, List<string> log) : Interceptor
    {
        public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        {
            lock (log)
            {
                log.Add(name);
            }
            return continuation(request, context);
        }
    }

    private sealed class RejectingInterceptor : Interceptor
    {
        public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
            request is "forbidden"
                ? throw new RpcException(new Status(StatusCode.PermissionDenied, "not allowed"))
                : continuation(request, context);
    }
}
