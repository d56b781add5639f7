using System.Net;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AspireProber.AppHost.Tests;

/// <summary>
/// No prometheus executable (here: the setting names one that does not exist): the prometheus resource fails to start
/// and its log says what to install, while every service replica still comes up healthy and the runner's backpressure
/// view shows both consumers read from the services themselves (the stock service's /metrics, the runner's own count),
/// saying that Prometheus could not be read. Its own app: it changes the model.
/// </summary>
public sealed class MissingPrometheusTests
{
    private const string Missing = "prometheus-not-installed";

    [Fact]
    public async Task Without_the_executable_prometheus_shows_why_it_did_not_start_and_everything_else_runs()
    {
        // RunningApp.StartAsync returns once every service replica is healthy: prometheus is not among what it waits for.
        // The executable runtime set, so a container engine on the machine running the tests cannot stand in for it.
        await using var app = await RunningApp.StartAsync(false, $"--{PrometheusExtensions.ExecutableSetting}={Missing}", $"--{PrometheusRuntimes.Setting}=executable");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var state = await app.ResourceNotifications.WaitForResourceAsync("prometheus",
            update => update.Snapshot.State?.Text is { } text && text != KnownResourceStates.Starting && text != KnownResourceStates.NotStarted
                && text != KnownResourceStates.Waiting, timeout.Token);
        Assert.Equal(KnownResourceStates.FailedToStart, state.Snapshot.State?.Text);

        var logs = new List<string>();
        using var logTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await foreach (var batch in app.Services.GetRequiredService<ResourceLoggerService>().WatchAsync(state.ResourceId).WithCancellation(logTimeout.Token))
            {
                logs.AddRange(batch.Select(line => line.Content));
                if (logs.Any(line => line.Contains($"No prometheus executable '{Missing}'", StringComparison.Ordinal)))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // asserted below, with what the log held
        }
        Assert.True(logs.Any(line => line.Contains("install Debian's prometheus package", StringComparison.Ordinal)),
            "prometheus' log:\n" + string.Join("\n", logs));

        // Polled: the runner's consumers and the stock service's counts of them can take a few seconds to appear.
        using var runner = app.CreateHttpClient("runner", "http");
        using var viewTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var reading = await ReadBothConsumersAsync(runner, viewTimeout.Token);
        Assert.Equal("services", reading.GetProperty("source").GetString());
        Assert.Contains("prometheus", reading.GetProperty("note").GetString(), StringComparison.Ordinal);
    }

    // Polls the backpressure view until it answers 200 with the fast and the slow consumer.
    private static async Task<JsonElement> ReadBothConsumersAsync(HttpClient runner, CancellationToken cancellationToken)
    {
        var last = "nothing";
        try
        {
            while (true)
            {
                using var response = await runner.GetAsync("/backpressure/consumers", cancellationToken);
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                last = $"{(int)response.StatusCode} {text}";
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var reading = JsonDocument.Parse(text).RootElement;
                    var consumers = reading.GetProperty("consumers").EnumerateArray().Select(flow => flow.GetProperty("consumer").GetString()).ToList();
                    if (consumers.Contains("fast") && consumers.Contains("slow"))
                    {
                        return reading;
                    }
                }
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"/backpressure/consumers never showed both consumers; last answer: {last}");
        }
    }
}
