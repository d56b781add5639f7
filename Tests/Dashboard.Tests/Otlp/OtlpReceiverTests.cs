using System.Net;
using AspireProber.Dashboard.Tests.Infrastructure;
using Google.Protobuf;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Trace;
using RpcStatus = Google.Rpc.Status;

namespace AspireProber.Dashboard.Tests.Otlp;

/// <summary>What the receivers answer to bad payloads, wrong API keys and requests on the wrong endpoint; nothing is half-stored.</summary>
public sealed class OtlpReceiverTests
{
    private const string TraceExport = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
    private static readonly DateTime Start = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    [Fact]
    public async Task A_valid_http_export_is_answered_with_an_empty_ExportTraceServiceResponse()
    {
        await using var dashboard = await TestDashboard.StartAsync();

        using var response = await RawOtlp.PostHttpAsync(new Uri(dashboard.OtlpHttpUrl, "v1/traces"), ValidBatch().ToByteArray());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType?.MediaType);
        var answer = ExportTraceServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
        Assert.Null(answer.PartialSuccess);
        Assert.Equal(2, dashboard.Store.GetCounts().Spans);
    }

    [Fact]
    public async Task A_truncated_http_body_is_400_with_a_status_message_and_nothing_is_stored()
    {
        await using var dashboard = await TestDashboard.StartAsync();
        var bytes = ValidBatch().ToByteArray();

        using var response = await RawOtlp.PostHttpAsync(new Uri(dashboard.OtlpHttpUrl, "v1/traces"), bytes[..(bytes.Length - 7)]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var status = RpcStatus.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(3, status.Code);
        Assert.StartsWith("The body is not a valid ExportTraceServiceRequest", status.Message);
        Assert.Equal(0, dashboard.Store.GetCounts().Spans);
    }

    [Fact]
    public async Task A_batch_with_one_invalid_span_is_rejected_whole_over_http_and_grpc()
    {
        await using var dashboard = await TestDashboard.StartAsync();
        var batch = ValidBatch();
        batch.ResourceSpans[0].ScopeSpans[0].Spans[1].SpanId = ByteString.CopyFrom(1, 2, 3);

        using var response = await RawOtlp.PostHttpAsync(new Uri(dashboard.OtlpHttpUrl, "v1/traces"), batch.ToByteArray());
        var (grpcStatus, grpcMessage) = await RawOtlp.CallGrpcAsync(dashboard.OtlpGrpcUrl, TraceExport, batch.ToByteArray());

        const string Expected = "resource_spans[0].scope_spans[0].spans[1].span_id has 3 bytes; it must have 8.";
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(Expected, RpcStatus.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync()).Message);
        Assert.Equal((3, Expected), (grpcStatus, grpcMessage));
        Assert.Equal(0, dashboard.Store.GetCounts().Spans);
        Assert.Empty(dashboard.Store.GetResources());
    }

    [Fact]
    public async Task A_truncated_grpc_message_fails_and_nothing_is_stored()
    {
        await using var dashboard = await TestDashboard.StartAsync();
        var bytes = ValidBatch().ToByteArray();

        var (status, _) = await RawOtlp.CallGrpcAsync(dashboard.OtlpGrpcUrl, TraceExport, bytes[..(bytes.Length - 7)]);

        // platform/Grpc parses the message before the service runs and answers INTERNAL ("error parsing request proto"
        // in gRPC's doc/statuscodes.md); the service answers INVALID_ARGUMENT only for messages that parse.
        Assert.Equal(13, status);
        Assert.Equal(0, dashboard.Store.GetCounts().Spans);
    }

    [Fact]
    public async Task Json_bodies_get_415_saying_to_send_protobuf()
    {
        await using var dashboard = await TestDashboard.StartAsync();

        using var response = await RawOtlp.PostHttpAsync(new Uri(dashboard.OtlpHttpUrl, "v1/traces"), "{}"u8.ToArray(), "application/json");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("application/x-protobuf", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong")]
    public async Task Without_the_right_api_key_http_is_401_and_grpc_is_UNAUTHENTICATED(string? presented)
    {
        await using var dashboard = await TestDashboard.StartAsync(ApiKeySettings("s3cret"));
        var body = ValidBatch().ToByteArray();

        using var response = await RawOtlp.PostHttpAsync(new Uri(dashboard.OtlpHttpUrl, "v1/traces"), body, apiKey: presented);
        var (grpcStatus, grpcMessage) = await RawOtlp.CallGrpcAsync(dashboard.OtlpGrpcUrl, TraceExport, body, presented);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(16, RpcStatus.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync()).Code);
        Assert.Equal(16, grpcStatus);
        Assert.Contains("x-otlp-api-key", grpcMessage);
        Assert.Equal(0, dashboard.Store.GetCounts().Spans);
    }

    [Theory]
    [InlineData(OtlpExportProtocol.Grpc)]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    public async Task The_real_exporter_with_the_configured_api_key_gets_through(OtlpExportProtocol protocol)
    {
        await using var dashboard = await TestDashboard.StartAsync(ApiKeySettings("s3cret"));
        using var source = new System.Diagnostics.ActivitySource("test." + Guid.NewGuid().ToString("N"));
        using (var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(source.Name)
            .AddOtlpExporter(options => DotNetExporterTests.Configure(options, dashboard, protocol, "v1/traces", apiKey: "s3cret"))
            .Build())
        {
            source.StartActivity("keyed")!.Dispose();
            Assert.True(tracing.ForceFlush(10_000));
        }

        Assert.Equal("keyed", Assert.Single(dashboard.Store.GetTraces(new()))!.Name);
    }

    [Fact]
    public async Task Routes_answer_only_on_their_own_endpoint()
    {
        await using var dashboard = await TestDashboard.StartAsync();
        using var http = new HttpClient();

        using var otlpOnUi = await RawOtlp.PostHttpAsync(new Uri(dashboard.UiUrl, "v1/traces"), ValidBatch().ToByteArray());
        using var exportOnOtlp = await http.GetAsync(new Uri(dashboard.OtlpHttpUrl, "api/telemetry/export"));
        var (grpcOnUi, _) = await RawOtlp.CallGrpcAsync(dashboard.OtlpGrpcUrl, "/api/telemetry/export", []);
        using var exportOnUi = await http.GetAsync(new Uri(dashboard.UiUrl, "api/telemetry/export"));

        Assert.Equal(HttpStatusCode.NotFound, otlpOnUi.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, exportOnOtlp.StatusCode);
        Assert.Equal(12, grpcOnUi);
        Assert.Equal(HttpStatusCode.OK, exportOnUi.StatusCode);
        Assert.Equal(0, dashboard.Store.GetCounts().Spans);
    }

    private static Dictionary<string, string?> ApiKeySettings(string key) => new()
    {
        ["Dashboard:Otlp:AuthMode"] = "ApiKey",
        ["Dashboard:Otlp:PrimaryApiKey"] = key,
    };

    private static ExportTraceServiceRequest ValidBatch() => OtlpMessages.Traces("prober", "prober-0",
        OtlpMessages.Span(OtlpMessages.TraceId(1), OtlpMessages.SpanId(1), "root", Start, 10),
        OtlpMessages.Span(OtlpMessages.TraceId(1), OtlpMessages.SpanId(2), "child", Start, 5, parentId: OtlpMessages.SpanId(1)));
}
