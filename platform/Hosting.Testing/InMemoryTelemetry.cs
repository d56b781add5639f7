using System.Text;
using AspireProber.Dashboard.Hosting;
using AspireProber.Dashboard.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Aspire.Hosting.Testing;

/// <summary>
/// An OTLP sink in the test process: the dashboard's own receivers (OTLP/gRPC and OTLP/HTTP) and
/// <see cref="TelemetryStore"/>, without its UI, every endpoint on 127.0.0.1 and a port the OS picks. Pass it to
/// <see cref="OtlpSinkExtensions.WithOtlpSink(IDistributedApplicationTestingBuilder, InMemoryTelemetry, string)"/> so
/// every resource exports here, then assert on traces and metrics; the wait helpers fail with what did arrive.
/// </summary>
/// <remarks>
/// The test owns it (<c>await using</c>, declared before the application so it outlives the resources' last exports).
/// It is started before the application is built because the resources' OTLP endpoint must be known when they launch.
/// </remarks>
public sealed class InMemoryTelemetry : IAsyncDisposable
{
    private const int DescribedItems = 20;
    private readonly WebApplication _app;

    private InMemoryTelemetry(WebApplication app)
    {
        _app = app;
        Store = app.Services.GetRequiredService<TelemetryStore>();
        var endpoints = app.Services.GetRequiredService<DashboardEndpoints>();
        OtlpGrpcUrl = new Uri(endpoints.GetUrl(DashboardEndpointKind.OtlpGrpc));
        OtlpHttpUrl = new Uri(endpoints.GetUrl(DashboardEndpointKind.OtlpHttp));
    }

    /// <summary>Everything received, with the dashboard's read API.</summary>
    public TelemetryStore Store { get; }

    /// <summary>The OTLP/gRPC endpoint (h2c), e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri OtlpGrpcUrl { get; }

    /// <summary>The OTLP/HTTP endpoint (<c>/v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c> under it).</summary>
    public Uri OtlpHttpUrl { get; }

    /// <summary>Starts the receivers; the caller disposes the result.</summary>
    public static async Task<InMemoryTelemetry> StartAsync(CancellationToken cancellationToken = default)
    {
        // An empty builder: the test process's environment, command line and appsettings.json (the bin folder of a
        // test holds the services' ones) must not configure the sink; only the settings below do.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRouting();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            // The telemetry half always binds the UI endpoint too (for its export API, unused here: tests read the store).
            [DashboardEndpoints.UiUrlKey] = "http://127.0.0.1:0",
            [DashboardEndpoints.OtlpGrpcUrlKey] = "http://127.0.0.1:0",
            [DashboardEndpoints.OtlpHttpUrlKey] = "http://127.0.0.1:0",
        });
        builder.AddDashboardTelemetry();
        var app = builder.Build();
        app.MapDashboardTelemetry();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return new InMemoryTelemetry(app);
    }

    /// <summary>Every trace with a span of <paramref name="serviceName"/> (any when null) and, if given, its replica <paramref name="instanceId"/>; newest first.</summary>
    public IReadOnlyList<TelemetryTrace> GetTraces(string? serviceName = null, string? instanceId = null) =>
        [.. Store.GetTraces(new TraceQuery { ServiceName = serviceName, InstanceId = instanceId, Limit = Store.Limits.MaxTraceCount })
            .Select(summary => Store.GetTrace(summary.TraceId))
            .OfType<TelemetryTrace>()];

    /// <summary>Every span of <paramref name="serviceName"/> (any when null) and, if given, its replica <paramref name="instanceId"/>.</summary>
    public IReadOnlyList<TelemetrySpan> GetSpans(string? serviceName = null, string? instanceId = null) =>
        [.. GetTraces(serviceName, instanceId).SelectMany(t => t.Spans).Where(s => s.Resource.Matches(serviceName, instanceId))];

    /// <summary>Waits for a trace satisfying <paramref name="predicate"/> (spans of one trace arrive in several exports: the predicate sees each state).</summary>
    public Task<TelemetryTrace> WaitForTraceAsync(Func<TelemetryTrace, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitForAsync(() => GetTraces().FirstOrDefault(predicate), "trace matching the predicate", timeout, cancellationToken);

    /// <summary>Waits for a span satisfying <paramref name="predicate"/>.</summary>
    public Task<TelemetrySpan> WaitForSpanAsync(Func<TelemetrySpan, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitForAsync(() => GetSpans().FirstOrDefault(predicate), "span matching the predicate", timeout, cancellationToken);

    /// <summary>
    /// Waits until <paramref name="serviceName"/> has exported the instrument <paramref name="instrumentName"/> (e.g.
    /// <c>stock.updates.sent</c>, OTLP's name, not Prometheus') and, if given, it satisfies <paramref name="predicate"/>.
    /// </summary>
    public Task<MetricInstrument> WaitForInstrumentAsync(string serviceName, string instrumentName, Func<MetricInstrument, bool>? predicate, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitForAsync(
            () => Store.GetInstrument(serviceName, instrumentName) is { } instrument && (predicate?.Invoke(instrument) ?? true) ? instrument : null,
            $"instrument {instrumentName} of {serviceName}{(predicate is null ? "" : " matching the predicate")}",
            timeout,
            cancellationToken);

    /// <summary>
    /// A summary of what arrived, for failure messages: the replicas, the span names per service (with counts), and the
    /// instruments per service.
    /// </summary>
    public string Describe()
    {
        var text = new StringBuilder();
        var counts = Store.GetCounts();
        text.Append($"{counts.Spans} spans in {counts.Traces} traces, {counts.MetricPoints} metric points, {counts.Logs} log records");
        text.Append($"\nreplicas: {string.Join(", ", Store.GetResources().Select(r => r.Key.ToString()))}");
        foreach (var service in GetSpans().GroupBy(s => s.Resource.ServiceName).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var names = service.GroupBy(s => $"{s.Kind} {s.Name}").OrderByDescending(g => g.Count()).Take(DescribedItems);
            text.Append($"\nspans of {service.Key}: {string.Join(", ", names.Select(g => $"{g.Key} ×{g.Count()}"))}");
        }
        foreach (var service in Store.GetInstruments().GroupBy(i => i.ServiceName))
        {
            text.Append($"\ninstruments of {service.Key}: {string.Join(", ", service.Select(i => i.Name))}");
        }
        return text.ToString();
    }

    /// <summary>Stops the receivers.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    // Checks again after every stored batch (the store's change signal) rather than polling on a timer.
    private async Task<T> WaitForAsync<T>(Func<T?> find, string what, TimeSpan timeout, CancellationToken cancellationToken) where T : class
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            while (true)
            {
                var version = Store.Version;
                if (find() is { } found)
                {
                    return found;
                }
                await Store.WaitForChangeAsync(version, limit.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No {what} arrived within {timeout.TotalSeconds:0.#} s. Received: {Describe()}");
        }
    }
}
