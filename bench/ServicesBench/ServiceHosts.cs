using System.Net;
using System.Net.Sockets;
using AspireProber.ProbeTarget;
using AspireProber.ProberService;
using AspireProber.StockStreamService;
using Microsoft.Extensions.Configuration.Json;

namespace AspireProber.ServicesBench;

/// <summary>
/// The services under test, each run by this program in a child process (<c>ServicesBench serve &lt;service&gt; ...</c>)
/// through the same <c>*App.Create</c> its own Program.cs uses, so the prober, the target, the stock service and
/// the bench never share a heap, a thread pool or an RSS figure.
/// </summary>
internal static class ServiceHosts
{
    public const string ServeCommand = "serve";

    /// <summary>A child that runs the ProbeTarget on <paramref name="port"/> (HTTP/1.1, as in the app model).</summary>
    public static ServiceCommand Target(int port) =>
        new("AspireProber.ProbeTarget.runtimeconfig.json", [ServeCommand, "target", .. Endpoint("http", port, "Http1")]);

    /// <summary>
    /// A child that runs one prober replica with its grpc endpoint on <paramref name="port"/>. Its bound per probe is
    /// raised: the overhead case asks for 1000 attempts of 5 s each (worst case), and the bench measures throughput, not
    /// the bound.
    /// </summary>
    public static ServiceCommand Prober(int port) =>
        new("AspireProber.ProberService.runtimeconfig.json",
            [ServeCommand, "prober", .. Endpoint("grpc", port, "Http2"), "--Prober:MaxProbeDuration=02:00:00"]);

    /// <summary>A child that runs the stock service: gRPC on <paramref name="grpcPort"/>, /metrics on <paramref name="httpPort"/>.</summary>
    public static ServiceCommand Stock(int grpcPort, int httpPort, int updatesPerSecond) =>
        new("AspireProber.StockStreamService.runtimeconfig.json",
        [
            ServeCommand, "stock", .. Endpoint("grpc", grpcPort, "Http2"), .. Endpoint("http", httpPort, "Http1"),
            $"--Stock:UpdatesPerSecond={updatesPerSecond}",
        ]);

    /// <summary>Runs the service named in <paramref name="args"/> until the bench kills this process.</summary>
    public static async Task<int> ServeAsync(string[] args)
    {
        var settings = args[2..];
        await using var app = args[1] switch
        {
            "target" => ProbeTargetApp.Create(settings, Quiet),
            "prober" => ProberApp.Create(settings, Quiet),
            "stock" => StockStreamApp.Create(settings, Quiet),
            _ => throw new ArgumentException($"unknown service '{args[1]}'"),
        };
        await app.StartAsync();
        Console.WriteLine("LISTENING");
        await app.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>A port nobody listens on right now (the OS picks it; the child binds it a moment later).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string[] Endpoint(string name, int port, string protocols) =>
        [$"--Kestrel:Endpoints:{name}:Url=http://127.0.0.1:{port}", $"--Kestrel:Endpoints:{name}:Protocols={protocols}"];

    private static void Quiet(WebApplicationBuilder builder)
    {
        // The referenced projects' appsettings.json files all land in the bench's output folder (pinning ports
        // 5100-5400); the endpoints come from the arguments only. No log output: nobody reads it, it costs CPU.
        foreach (var json in builder.Configuration.Sources.OfType<JsonConfigurationSource>().ToList())
        {
            builder.Configuration.Sources.Remove(json);
        }
        builder.Logging.ClearProviders();
    }
}

/// <summary>
/// How the bench starts one service: this program's <paramref name="Arguments"/>, run with the runtimeconfig.json
/// the service's own build has (<paramref name="RuntimeConfig"/>, copied next to the bench by the project reference),
/// so the service's runtime settings — its GC mode above all — are the ones measured, not the bench's.
/// </summary>
internal sealed record ServiceCommand(string RuntimeConfig, string[] Arguments);
