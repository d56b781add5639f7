using System.Diagnostics;
using System.Diagnostics.Metrics;
using AspireProber.Grpc.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Net.Client;

namespace AspireProber.Grpc.Tests.Client;

/// <summary>The client span continues the caller's trace into the server; the call's duration is measured.</summary>
public sealed class ClientTelemetryTests : IAsyncLifetime
{
    private static readonly ActivitySource TestSource = new("AspireProber.Grpc.Tests.Client");
    private readonly TestHandlers _handlers = new();
    private GrpcTestServer _server = null!;
    private GrpcChannel _channel = null!;

    public async Task InitializeAsync()
    {
        _server = await ClientTestServers.StartAsync(_handlers);
        _channel = GrpcChannel.ForAddress(_server.Address);
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Client_span_and_server_span_share_the_trace()
    {
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Grpc.Net.Client" or "Grpc.AspNetCore.Server" or "AspireProber.Grpc.Tests.Client",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (stopped) { stopped.Add(activity); } },
        };
        ActivitySource.AddActivityListener(listener);

        ActivityTraceId traceId;
        using (var root = TestSource.StartActivity("test-root")!)
        {
            traceId = root.TraceId;
            await _channel.CreateCallInvoker().AsyncUnaryCall(TestService.Unary, null, default, "m").ResponseAsync.Within();
        }

        List<Activity> ours;
        lock (stopped)
        {
            ours = stopped.Where(a => a.TraceId == traceId).ToList();
        }
        var client = Assert.Single(ours, a => a.Source.Name == "Grpc.Net.Client");
        var server = Assert.Single(ours, a => a.Source.Name == "Grpc.AspNetCore.Server");
        Assert.Equal(ActivityKind.Client, client.Kind);
        Assert.Equal("test.v1.TestService/Unary", client.DisplayName);
        Assert.Equal("grpc", client.GetTagItem("rpc.system"));
        Assert.Equal("test.v1.TestService", client.GetTagItem("rpc.service"));
        Assert.Equal("Unary", client.GetTagItem("rpc.method"));
        Assert.Equal(0, client.GetTagItem("rpc.grpc.status_code"));
        Assert.Equal(client.SpanId, server.ParentSpanId);
    }

    [Fact]
    public async Task Without_a_listener_the_callers_activity_is_propagated()
    {
        string? traceParent = null;
        _handlers.Unary = (request, context) =>
        {
            traceParent = context.RequestHeaders.GetValue("traceparent");
            return Task.FromResult(request);
        };
        using var caller = new Activity("caller").SetIdFormat(ActivityIdFormat.W3C).Start();

        await _channel.CreateCallInvoker().AsyncUnaryCall(TestService.Unary, null, default, "m").ResponseAsync.Within();

        Assert.NotNull(traceParent);
        Assert.Equal(caller.TraceId.ToHexString(), traceParent.Split('-')[1]);
    }

    [Fact]
    public async Task Call_duration_is_recorded_with_its_status_code()
    {
        var recorded = new List<(double Value, int? Code)>();
        using var meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "Grpc.Net.Client" && instrument.Name == "rpc.client.call.duration")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        meterListener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            string? service = null;
            int? code = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "rpc.service") service = tag.Value as string;
                if (tag.Key == "rpc.grpc.status_code") code = tag.Value as int?;
            }
            if (service == "test.v1.Measured")
            {
                lock (recorded) { recorded.Add((value, code)); }
            }
        });
        meterListener.Start();
        var measured = new Method<string, string>(MethodType.Unary, "test.v1.Measured", "Missing", Marshallers.StringMarshaller, Marshallers.StringMarshaller);

        await Assert.ThrowsAsync<RpcException>(() => _channel.CreateCallInvoker().AsyncUnaryCall(measured, null, default, "m").ResponseAsync.Within());

        var point = Assert.Single(recorded);
        Assert.Equal((int)StatusCode.Unimplemented, point.Code);
        Assert.True(point.Value > 0);
    }
}
