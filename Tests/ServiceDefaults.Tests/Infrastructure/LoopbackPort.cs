using System.Net;
using System.Net.Sockets;

namespace AspireProber.ServiceDefaults.Tests.Infrastructure;

/// <summary>Loopback ports for tests that must name one before anything listens on it.</summary>
public static class LoopbackPort
{
    /// <summary>A port the OS just handed out and nothing listens on: free to bind, and refused when connected to.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
