using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Grpc.Net.Client.Internal;

/// <summary>The client's log messages.</summary>
internal static partial class ClientLog
{
    [LoggerMessage(1, LogLevel.Debug, "Call {Method} failed with status {StatusCode}: {Detail}")]
    public static partial void CallFailed(ILogger logger, string method, StatusCode statusCode, string detail);

    [LoggerMessage(2, LogLevel.Information, "Could not connect to {Address}: {Reason}. Skipping it for a while.")]
    public static partial void ConnectFailed(ILogger logger, Uri address, string reason);

    [LoggerMessage(3, LogLevel.Debug, "Retrying call {Method} after attempt {Attempt} failed with {StatusCode}; waiting {DelayMilliseconds:F0} ms.")]
    public static partial void Retrying(ILogger logger, string method, int attempt, StatusCode statusCode, double delayMilliseconds);
}
