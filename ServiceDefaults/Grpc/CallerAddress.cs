using Grpc.Core;

namespace AspireProber.ServiceDefaults;

/// <summary>Who is calling, as the per-caller bounds of our services count callers.</summary>
public static class CallerAddress
{
    /// <summary>
    /// The peer's IP address without its port: one client's connections, whatever their number, and the one thing a
    /// client cannot choose per call (names, keys and metadata it can).
    /// </summary>
    public static string Of(ServerCallContext context) =>
        context.GetHttpContext().Connection.RemoteIpAddress?.ToString() ?? context.Peer;
}
