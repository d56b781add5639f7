using System.Globalization;
using System.Text.Json;

namespace AspireProber.GrpcBench;

/// <summary>
/// The server-streaming case: grpc-go-stream-client (the same neutral reader for every server) asks for
/// <see cref="BenchSettings.StreamMessages"/> responses in one StreamingOutputCall and counts them.
/// A run counts only if every message arrived with the expected size and the call ended with grpc-status 0.
/// </summary>
internal static class StreamClient
{
    private sealed record Counted(int Messages, long Bytes, double Seconds);

    /// <summary>Runs one call and returns messages per second.</summary>
    public static async Task<double> RunAsync(string client, int port, BenchSettings settings, CancellationToken cancellationToken)
    {
        string[] arguments =
        [
            "-addr", $"127.0.0.1:{port}",
            "-messages", settings.StreamMessages.ToString(CultureInfo.InvariantCulture),
            "-size", settings.StreamMessageSize.ToString(CultureInfo.InvariantCulture),
        ];
        var output = (await ChildProcess.RunAsync(client, arguments, settings.RunTimeout, cancellationToken)).StandardOutput;
        var counted = JsonSerializer.Deserialize<Counted>(output, JsonSerializerOptions.Web)
            ?? throw new FormatException($"Unexpected stream client output: {output}");
        var expectedBytes = (long)settings.StreamMessages * GrpcMessages.StreamResponseSize(settings);
        if (counted.Messages != settings.StreamMessages || counted.Bytes != expectedBytes)
        {
            throw new InvalidOperationException(
                $"The stream carried {counted.Messages} messages / {counted.Bytes} bytes; expected {settings.StreamMessages} / {expectedBytes}.");
        }
        return counted.Messages / counted.Seconds;
    }
}
