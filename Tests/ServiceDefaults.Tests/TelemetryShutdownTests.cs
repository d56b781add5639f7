using System.Diagnostics;
using AspireProber.ServiceDefaults.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AspireProber.ServiceDefaults.Tests;

/// <summary>
/// Stopping a service ends OpenTelemetry within TelemetryShutdown's budget: with the OTLP endpoint gone (the dashboard
/// stopped first, as on Ctrl+C of the AppHost) it does not wait on retries, and with the endpoint up the last logs
/// still arrive.
/// </summary>
public sealed class TelemetryShutdownTests
{
    // What the AppHost gives every project: in-memory retries of failed exports, 1 s export intervals.
    private static Dictionary<string, string?> AppHostSettings(Uri endpoint, string protocol) => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint.ToString(),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = protocol,
        ["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"] = "in_memory",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "1000",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "1000",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
    };

    [Theory]
    [InlineData("grpc")]
    [InlineData("http/protobuf")]
    public async Task Stopping_does_not_wait_on_retries_to_an_endpoint_that_is_gone(string protocol)
    {
        // Nothing listens there: connections are refused, like the stopped dashboard's.
        var gone = new Uri($"http://127.0.0.1:{LoopbackPort.Free()}");
        await AssertStopsWithinBudgetAsync(gone, protocol);
    }

    [Fact]
    public async Task Stopping_does_not_wait_on_retries_to_an_endpoint_that_answers_503()
    {
        // 503 is retried by the exporter's own policy; a resilience handler below it would retry it again, and the
        // service provider's disposal would wait on those retries.
        using var unavailable = new UnavailableListener();
        await AssertStopsWithinBudgetAsync(unavailable.Address, "http/protobuf", untilRetrying: () => unavailable.Requests >= 3);
    }

    private static async Task AssertStopsWithinBudgetAsync(Uri endpoint, string protocol, Func<bool>? untilRetrying = null)
    {
        var app = await TestApp.StartAsync(AppHostSettings(endpoint, protocol));
        // Something of each signal is waiting to be exported when the service stops.
        app.App.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ShutdownTest").LogInformation("About to stop");
        using (new ActivitySource("AspireProber.Tests.Shutdown").StartActivity("last work"))
        {
        }
        await app.Http.GetAsync("/alive");
        // Past one export interval, so exports have started and are retrying.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        for (var waited = 0; untilRetrying is not null && !untilRetrying(); waited++)
        {
            Assert.True(waited < 100, "The exports were not retried within 10 s.");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        var stopping = Stopwatch.StartNew();
        await app.DisposeAsync();

        // Without TelemetryShutdown this took 9-10 s (the SDK's 5 s per provider, spent retrying), and 7-10 s with the
        // resilience handler on the exporter's HttpClient (disposal waited on its retries); the budget is 1 s.
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(4), $"Stopping took {stopping.Elapsed.TotalSeconds:0.0} s.");
    }

    [Fact]
    public async Task The_last_logs_are_still_exported_when_the_endpoint_is_up()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var settings = AppHostSettings(receiver.HttpEndpoint, "http/protobuf");
        settings["OTEL_BLRP_SCHEDULE_DELAY"] = "60000";   // so only the export at stop can carry the record
        var app = await TestApp.StartAsync(settings);
        var token = Guid.NewGuid().ToString("N");
        app.App.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ShutdownTest").LogInformation("Last words {Token}", token);

        await app.DisposeAsync();

        Assert.Contains(receiver.Exports, export => export.Signal == "logs" && Otlp.Contains(export.Body, token));
    }
}
