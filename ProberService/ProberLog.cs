using AspireProber.ServiceDefaults;
using Microsoft.Extensions.Logging;

namespace AspireProber.ProberService;

/// <summary>The prober's structured log lines.</summary>
internal static partial class ProberLog
{
    [LoggerMessage(1, LogLevel.Information,
        "Probed {Endpoint} {Repetitions} times ({ConnectionMode}): {SuccessCount} succeeded, {FailureCount} failed, mean {AverageLatencyMs:0.0} ms, p99 {P99LatencyMs:0.0} ms")]
    public static partial void ProbeCompleted(ILogger logger, string endpoint, int repetitions, string connectionMode,
        int successCount, int failureCount, double averageLatencyMs, double p99LatencyMs);

    /// <summary>Logs why a probe request was refused; the endpoint is as the caller sent it, so it is bounded first.</summary>
    public static void ProbeRefused(ILogger logger, object request, Grpc.Core.RpcException error) =>
        LogProbeRefused(logger, TelemetryValues.Bound((request as Prober.V1.ProbeRequest)?.Endpoint ?? ""), error.StatusCode, error.Status.Detail);

    [LoggerMessage(2, LogLevel.Warning, "Probe of {Endpoint} refused: {StatusCode} {Reason}")]
    private static partial void LogProbeRefused(ILogger logger, string endpoint, Grpc.Core.StatusCode statusCode, string reason);
}
