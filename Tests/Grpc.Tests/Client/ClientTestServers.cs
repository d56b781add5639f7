using AspireProber.Grpc.Tests.Infrastructure;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AspireProber.Grpc.Tests.Client;

/// <summary>Starts the scripted test service on a real Kestrel h2c server for client tests.</summary>
internal static class ClientTestServers
{
    public static Task<GrpcTestServer> StartAsync(TestHandlers handlers, Action<GrpcServiceOptions>? configure = null) =>
        GrpcTestServer.StartAsync(
            services => services.AddGrpcServer(configure).AddSingleton(handlers),
            endpoints => endpoints.MapGrpcService<ScriptedTestService>());

    /// <summary>Fails the test instead of hanging when something never completes.</summary>
    public static Task<T> Within<T>(this Task<T> task, double seconds = 10) => task.WaitAsync(TimeSpan.FromSeconds(seconds));

    public static Task Within(this Task task, double seconds = 10) => task.WaitAsync(TimeSpan.FromSeconds(seconds));

    /// <summary>An address where nothing listens: a port that was free a moment ago.</summary>
    public static Uri DeadAddress()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}");
    }
}
