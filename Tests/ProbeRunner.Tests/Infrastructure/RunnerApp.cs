using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AspireProber.ProbeRunner.Tests.Infrastructure;

/// <summary>The real runner host (RunnerHost.Build, as Program runs it) on free ports, configured by command-line overrides.</summary>
public sealed class RunnerApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunnerApp(WebApplication app, Uri grpcAddress, Uri httpAddress)
    {
        _app = app;
        GrpcAddress = grpcAddress;
        HttpAddress = httpAddress;
    }

    /// <summary>The runner's grpc endpoint.</summary>
    public Uri GrpcAddress { get; }

    /// <summary>The runner's HTTP/1.1 endpoint (health, metrics, the backpressure view).</summary>
    public Uri HttpAddress { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts the runner with <paramref name="settings"/> (configuration key, value) on top of its appsettings.json.</summary>
    public static async Task<RunnerApp> StartAsync(params (string Key, string Value)[] settings)
    {
        var grpcPort = KestrelGrpcServer.FreePort();
        var httpPort = KestrelGrpcServer.FreePort();
        var args = settings
            .Append(("Kestrel:Endpoints:grpc:Url", $"http://127.0.0.1:{grpcPort}"))
            .Append(("Kestrel:Endpoints:http:Url", $"http://127.0.0.1:{httpPort}"))
            .Append(("Logging:LogLevel:Default", "Warning"))
            .Select(s => $"--{s.Item1}={s.Item2}")
            .ToArray();
        var app = RunnerHost.Build(args);
        await app.StartAsync();
        return new RunnerApp(app, new Uri($"http://127.0.0.1:{grpcPort}"), new Uri($"http://127.0.0.1:{httpPort}"));
    }

    public T GetRequiredService<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
