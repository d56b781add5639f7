using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AspireProber.AppHost.Tests;

/// <summary>
/// No prometheus executable (here: the setting names one that does not exist): the prometheus resource fails to start
/// and its log says what to install, while every service replica still comes up healthy and the runner's backpressure
/// view reports that Prometheus cannot be read. Its own app: it changes the model.
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

        using var runner = app.CreateHttpClient("runner", "http");
        using var response = await runner.GetAsync("/backpressure/consumers", timeout.Token);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("prometheus", await response.Content.ReadAsStringAsync(timeout.Token), StringComparison.Ordinal);
    }
}
