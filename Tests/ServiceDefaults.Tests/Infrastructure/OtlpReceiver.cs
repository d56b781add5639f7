using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace AspireProber.ServiceDefaults.Tests.Infrastructure;

/// <summary>
/// A minimal OTLP collector on loopback: OTLP/HTTP (POST /v1/traces|metrics|logs on an HTTP/1.1 port) and OTLP/gRPC
/// (the three Export methods on an h2c port). It records each export's protobuf body and accepts it.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OtlpReceiver(WebApplication app) => _app = app;

    /// <summary>Every export received: its signal ("traces", "metrics", "logs") and ExportXServiceRequest bytes.</summary>
    public ConcurrentQueue<(string Signal, byte[] Body)> Exports { get; } = new();

    public Uri HttpEndpoint { get; private set; } = null!;

    public Uri GrpcEndpoint { get; private set; } = null!;

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        int httpPort = 0, grpcPort = 0;
        ListenOptions? http = null, grpc = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(System.Net.IPAddress.Loopback, httpPort, listen => { listen.Protocols = HttpProtocols.Http1; http = listen; });
            kestrel.Listen(System.Net.IPAddress.Loopback, grpcPort, listen => { listen.Protocols = HttpProtocols.Http2; grpc = listen; });
        });
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        // The apps under test trace every ASP.NET Core request in this process, the receiver's own included: un-record
        // those so exports do not feed back into exports.
        app.Use((context, next) =>
        {
            if (context.Features.Get<IHttpActivityFeature>()?.Activity is { } activity)
            {
                activity.ActivityTraceFlags &= ~System.Diagnostics.ActivityTraceFlags.Recorded;
            }
            return next(context);
        });
        foreach (var signal in new[] { "traces", "metrics", "logs" })
        {
            app.MapPost($"/v1/{signal}", async context =>
            {
                receiver.Exports.Enqueue((signal, await ReadBodyAsync(context)));
                context.Response.ContentType = "application/x-protobuf";
            });
            var service = signal switch { "traces" => "trace.v1.TraceService", "metrics" => "metrics.v1.MetricsService", _ => "logs.v1.LogsService" };
            app.MapPost($"/opentelemetry.proto.collector.{service}/Export", async context =>
            {
                var framed = await ReadBodyAsync(context);
                Assert.Equal(0, framed[0]); // uncompressed
                receiver.Exports.Enqueue((signal, framed[5..]));
                context.Response.ContentType = "application/grpc";
                await context.Response.Body.WriteAsync(new byte[5]); // one empty ExportXServiceResponse
                context.Response.AppendTrailer("grpc-status", "0");
            });
        }
        await app.StartAsync();
        receiver.HttpEndpoint = new Uri($"http://127.0.0.1:{http!.IPEndPoint!.Port}");
        receiver.GrpcEndpoint = new Uri($"http://127.0.0.1:{grpc!.IPEndPoint!.Port}");
        return receiver;
    }

    /// <summary>Waits until an export of <paramref name="signal"/> satisfies <paramref name="match"/>, and returns it.</summary>
    public async Task<byte[]> WaitForAsync(string signal, Func<byte[], bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var found = Exports.FirstOrDefault(export => export.Signal == signal && match(export.Body));
            if (found.Body is not null)
            {
                return found.Body;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"No matching {signal} export within {timeout}; received: {string.Join(", ", Exports.Select(e => e.Signal))}.");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}

/// <summary>
/// Reads the few OTLP protobuf fields the tests check, by field number (opentelemetry-proto): no generated classes exist here.
/// Every ExportXServiceRequest has resource_X = 1, whose resource = 1 holds attributes = 1 (KeyValue key = 1, value = 2,
/// AnyValue string_value = 1), and scope_X = 2 holding the items at 2.
/// </summary>
public static class Otlp
{
    /// <summary>Whether the request's bytes hold <paramref name="text"/> in UTF-8 (a log body or attribute, say).</summary>
    public static bool Contains(byte[] request, string text) => request.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(text)) >= 0;

    public static Dictionary<string, string> ResourceAttributes(byte[] request)
    {
        var attributes = new Dictionary<string, string>();
        foreach (var resourceX in Fields(request, 1))
        foreach (var resource in Fields(resourceX, 1))
        foreach (var keyValue in Fields(resource, 1))
        {
            var key = Fields(keyValue, 1).Select(bytes => System.Text.Encoding.UTF8.GetString(bytes)).Single();
            var value = Fields(keyValue, 2).SelectMany(any => Fields(any, 1)).Select(bytes => System.Text.Encoding.UTF8.GetString(bytes)).FirstOrDefault();
            attributes[key] = value ?? "";
        }
        return attributes;
    }

    /// <summary>Span names (Span.name = 5) or metric names (Metric.name = 1) of the request.</summary>
    public static List<string> ItemNames(byte[] request, int nameField) =>
        Fields(request, 1).SelectMany(resourceX => Fields(resourceX, 2)).SelectMany(scopeX => Fields(scopeX, 2))
            .SelectMany(item => Fields(item, nameField)).Select(bytes => System.Text.Encoding.UTF8.GetString(bytes)).ToList();

    /// <summary>Span names of the request with the name of the instrumentation scope (ScopeSpans.scope = 1, name = 1) that made each.</summary>
    public static List<(string Scope, string Name)> SpanNamesByScope(byte[] request) =>
        Fields(request, 1).SelectMany(resourceSpans => Fields(resourceSpans, 2)).SelectMany(scopeSpans =>
        {
            var scope = Fields(scopeSpans, 1).SelectMany(s => Fields(s, 1)).Select(bytes => System.Text.Encoding.UTF8.GetString(bytes)).FirstOrDefault() ?? "";
            return Fields(scopeSpans, 2).SelectMany(span => Fields(span, 5)).Select(bytes => (scope, System.Text.Encoding.UTF8.GetString(bytes)));
        }).ToList();

    /// <summary>The length-delimited occurrences of field <paramref name="number"/> in <paramref name="message"/>.</summary>
    public static List<byte[]> Fields(byte[] message, int number)
    {
        var found = new List<byte[]>();
        var input = new CodedInputStream(message);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == number && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                found.Add(input.ReadBytes().ToByteArray());
            }
            else
            {
                input.SkipLastField();
            }
        }
        return found;
    }
}
