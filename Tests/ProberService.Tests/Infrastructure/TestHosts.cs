using AspireProber.ProbeTarget;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProberClient = AspireProber.Prober.V1.Prober.ProberClient;

namespace AspireProber.ProberService.Tests.Infrastructure;

/// <summary>Starts the apps the way their Program.cs does, on 127.0.0.1 and a free port, without appsettings files.</summary>
internal static class TestHosts
{
    // An empty content root: the referenced projects' appsettings.json files land in the test's output folder,
    // and tests must not depend on which one won.
    private static readonly string EmptyContentRoot = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "empty-content-root")).FullName;

    /// <summary>
    /// Options with one endpoint (named as the service's contract names it) on 127.0.0.1 and a free port, given as
    /// configuration like the AppHost gives it, plus <paramref name="settings"/>.
    /// </summary>
    public static WebApplicationOptions Options(string endpoint, HttpProtocols protocols, IEnumerable<KeyValuePair<string, string>>? settings)
    {
        KeyValuePair<string, string>[] listen =
        [
            new($"Kestrel:Endpoints:{endpoint}:Url", "http://127.0.0.1:0"),
            new($"Kestrel:Endpoints:{endpoint}:Protocols", protocols.ToString()),
        ];
        return new WebApplicationOptions
        {
            ContentRootPath = EmptyContentRoot,
            Args = listen.Concat(settings ?? []).Select(s => $"--{s.Key}={s.Value}").ToArray(),
        };
    }

    public static void QuietLogs(WebApplicationBuilder builder) => builder.Logging.ClearProviders();

    public static async Task<Uri> StartAsync(WebApplication app)
    {
        await app.StartAsync();
        return new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }
}

/// <summary>A ProbeTarget on a free loopback port, stopped on dispose.</summary>
public sealed class TargetHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TargetHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public TargetActivity Activity => _app.Services.GetRequiredService<TargetActivity>();

    /// <summary>The absolute URL of <paramref name="pathAndQuery"/> on this target, as a string for ProbeRequest.endpoint.</summary>
    public string Url(string pathAndQuery) => new Uri(Address, pathAndQuery).ToString();

    public static async Task<TargetHost> StartAsync(params KeyValuePair<string, string>[] settings)
    {
        var app = ProbeTargetApp.Create(TestHosts.Options("http", HttpProtocols.Http1, settings), TestHosts.QuietLogs);
        return new TargetHost(app, await TestHosts.StartAsync(app));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A ProberService on a free loopback port (h2c) with a client to it, all stopped on dispose.</summary>
public sealed class ProberHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;

    private ProberHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        _channel = GrpcChannel.ForAddress(address);
        Client = new ProberClient(_channel);
    }

    public Uri Address { get; }

    public ProberClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a prober; <paramref name="settings"/> are configuration keys such as <c>Prober:ApiKey</c>.</summary>
    public static Task<ProberHost> StartAsync(params KeyValuePair<string, string>[] settings) => StartAsync(_ => { }, settings);

    /// <summary>Starts a prober with <paramref name="configure"/> applied to its builder after the test defaults (quiet logs).</summary>
    public static async Task<ProberHost> StartAsync(Action<WebApplicationBuilder> configure, params KeyValuePair<string, string>[] settings)
    {
        var app = ProberApp.Create(TestHosts.Options("grpc", HttpProtocols.Http2, settings), builder =>
        {
            TestHosts.QuietLogs(builder);
            configure(builder);
        });
        return new ProberHost(app, await TestHosts.StartAsync(app));
    }

    /// <summary>GETs /metrics (see <see cref="AspireProber.Tests.Shared.MetricsScrape"/>).</summary>
    public Task<string> ScrapeMetricsAsync() => AspireProber.Tests.Shared.MetricsScrape.GetAsync(Address);

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Short helpers for settings and waits.</summary>
public static class TestUtil
{
    public static KeyValuePair<string, string> Setting(string key, string value) => new(key, value);

    public static Task<T> Within<T>(this Task<T> task, double seconds = 10) => task.WaitAsync(TimeSpan.FromSeconds(seconds));

    /// <summary>Waits until <paramref name="condition"/> holds, or fails after <paramref name="seconds"/>.</summary>
    public static async Task Eventually(Func<bool> condition, string what, double seconds = 5)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, $"Timed out waiting for: {what}");
            await Task.Delay(10);
        }
    }
}
