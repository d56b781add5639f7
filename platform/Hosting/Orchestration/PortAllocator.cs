using System.Net;
using System.Net.Sockets;

namespace Aspire.Hosting.Orchestration;

/// <summary>
/// Finds free loopback ports: bind port 0, read what the kernel chose, release it for the child to bind. Ports handed
/// out stay reserved in this process until released, so two replicas (or two apps in one test run) never get the same.
/// </summary>
internal static class PortAllocator
{
    private static readonly HashSet<int> s_reserved = [];

    public static int Allocate()
    {
        while (true)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
            lock (s_reserved)
            {
                if (s_reserved.Add(port))
                {
                    return port;
                }
            }
        }
    }

    public static void Release(IEnumerable<int> ports)
    {
        lock (s_reserved)
        {
            s_reserved.ExceptWith(ports);
        }
    }
}
