using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace AspireProber.Tests.Shared;

/// <summary>
/// How a test or bench starts the built AppHost as its own process, the way <c>dotnet run --project AppHost</c> does:
/// with what the launch profile gives it (plain-HTTP dashboard, Development), but on free loopback ports instead of
/// 15888/19889/20889, DCP's ports randomized, both API keys given so nothing is written to user secrets, and a TMPDIR
/// of the caller's (DCP's state and the Prometheus folder go there). Linked into AppHost.Tests and AppHostBench.
/// </summary>
public static class AppHostLaunch
{
    /// <summary>Adds that environment and those arguments to <paramref name="start"/>, stdout and stderr redirected.</summary>
    public static void Configure(ProcessStartInfo start, string tempDirectory)
    {
        start.Environment["TMPDIR"] = tempDirectory;
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort()}";
        start.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{FreePort()}";
        start.Environment["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://127.0.0.1:{FreePort()}";
        start.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        foreach (var argument in new[] { "--DcpPublisher:RandomizePorts=true", $"--AppHost:DashboardApiKey={Key()}", $"--AppHost:OtlpApiKey={Key()}" })
        {
            start.ArgumentList.Add(argument);
        }
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
    }

    private static string Key() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
