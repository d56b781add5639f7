using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;

namespace Grpc.Net.Diagnostics;

/// <summary>
/// The ActivitySources and Meters of the gRPC server and client, named so telemetry setups can subscribe
/// (e.g. <c>AddSource(GrpcDiagnostics.ServerName)</c>). Spans and metrics follow OpenTelemetry's RPC conventions.
/// </summary>
public static class GrpcDiagnostics
{
    /// <summary>The ActivitySource and Meter name of the server.</summary>
    public const string ServerName = "Grpc.AspNetCore.Server";

    /// <summary>The ActivitySource and Meter name of the client.</summary>
    public const string ClientName = "Grpc.Net.Client";

    internal static readonly ActivitySource ServerActivitySource = new(ServerName);
    internal static readonly ActivitySource ClientActivitySource = new(ClientName);

    private static readonly Meter ServerMeter = new(ServerName);
    private static readonly Meter ClientMeter = new(ClientName);

    // Seconds, as OpenTelemetry's current RPC conventions (rpc.*.call.duration) and Prometheus (base units) want;
    // the SDK's default buckets are for milliseconds, so the conventions' second-scale ones are given as advice.
    private static readonly InstrumentAdvice<double> DurationAdvice = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
    };

    internal static readonly Histogram<double> ServerDuration = ServerMeter.CreateHistogram(
        "rpc.server.call.duration", "s", "Duration of inbound RPCs.", tags: null, advice: DurationAdvice);
    internal static readonly Histogram<long> ServerRequestsPerRpc = ServerMeter.CreateHistogram<long>(
        "rpc.server.requests_per_rpc", "{count}", "Messages received per RPC.");
    internal static readonly Histogram<long> ServerResponsesPerRpc = ServerMeter.CreateHistogram<long>(
        "rpc.server.responses_per_rpc", "{count}", "Messages sent per RPC.");

    internal static readonly Histogram<double> ClientDuration = ClientMeter.CreateHistogram(
        "rpc.client.call.duration", "s", "Duration of outbound RPCs.", tags: null, advice: DurationAdvice);
    internal static readonly Histogram<long> ClientRequestsPerRpc = ClientMeter.CreateHistogram<long>(
        "rpc.client.requests_per_rpc", "{count}", "Messages sent per RPC.");
    internal static readonly Histogram<long> ClientResponsesPerRpc = ClientMeter.CreateHistogram<long>(
        "rpc.client.responses_per_rpc", "{count}", "Messages received per RPC.");

    // Tag values are objects: boxing each call's status code once here saves an allocation per call.
    private static readonly object[] BoxedStatusCodes = Enumerable.Range(0, 17).Select(code => (object)code).ToArray();

    /// <summary>The tags every RPC span and metric point carries.</summary>
    internal static TagList RpcTags(IMethod method, StatusCode statusCode) => new()
    {
        { "rpc.system", "grpc" },
        { "rpc.service", method.ServiceName },
        { "rpc.method", method.Name },
        { "rpc.grpc.status_code", BoxedStatusCode(statusCode) },
    };

    private static object BoxedStatusCode(StatusCode code) => (uint)code < (uint)BoxedStatusCodes.Length ? BoxedStatusCodes[(int)code] : (int)code;

    /// <summary>Starts an RPC span named <c>{service}/{method}</c> with the semantic-convention tags.</summary>
    internal static Activity? StartRpcActivity(ActivitySource source, IMethod method, ActivityKind kind, ActivityContext parent)
    {
        if (!source.HasListeners())
        {
            return null;
        }
        var activity = source.StartActivity(method.ServiceName + "/" + method.Name, kind, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("rpc.system", "grpc");
            activity.SetTag("rpc.service", method.ServiceName);
            activity.SetTag("rpc.method", method.Name);
        }
        return activity;
    }

    /// <summary>Ends an RPC span with its status; which codes count as span errors differs by side (OTel RPC spans).</summary>
    internal static void StopRpcActivity(Activity? activity, Status status, bool isServer)
    {
        if (activity is null)
        {
            return;
        }
        activity.SetTag("rpc.grpc.status_code", BoxedStatusCode(status.StatusCode));
        if (IsSpanError(status.StatusCode, isServer))
        {
            activity.SetStatus(ActivityStatusCode.Error, status.Detail);
        }
        activity.Stop();
    }

    private static bool IsSpanError(StatusCode code, bool isServer) => isServer
        ? code is StatusCode.Unknown or StatusCode.DeadlineExceeded or StatusCode.Unimplemented or StatusCode.Internal or StatusCode.Unavailable or StatusCode.DataLoss
        : code != StatusCode.OK;
}
