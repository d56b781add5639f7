using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AspireProber.AppHost.Tests;

/// <summary>The real AppHost's model started in this process through Aspire.Hosting.Testing, every replica healthy.</summary>
internal static class RunningApp
{
    /// <summary>The resources of the system and how many replicas each has in the AppHost.</summary>
    public static readonly IReadOnlyDictionary<string, int> SystemReplicas = new Dictionary<string, int>
    {
        ["probetarget"] = 1,
        ["prober"] = 3,
        ["stock"] = 1,
        ["runner"] = 1,
    };

    // Generous: this runs on a loaded 2-core CI machine, next to other test assemblies starting their own servers.
    public static readonly TimeSpan HealthyLimit = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Builds and starts the AppHost's model (runner rounds every second) and waits until every replica of the
    /// system's resources is healthy. With <paramref name="dashboard"/> the Aspire dashboard runs too, on free ports
    /// and behind a browser token (<c>GetDashboardUrlAsync</c>). The caller disposes the result, which stops every
    /// process; a failed start disposes it here.
    /// </summary>
    public static async Task<DistributedApplication> StartAsync(bool dashboard = false, params string[] args)
    {
        // The model as the AppHost builds it on this machine: Grafana only where a container engine answers.
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AspireProber_AppHost>(
            new DistributedApplicationTestingBuilderOptions { EnableDashboard = dashboard }, args);
        builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "runner"))
            .WithEnvironment("Runner__Interval", "00:00:01");
        var app = await builder.BuildAsync();
        using var timeout = new CancellationTokenSource(HealthyLimit);
        try
        {
            await app.StartAsync(timeout.Token);
            await WaitForEveryReplicaHealthyAsync(app, timeout.Token);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Waits until each system resource has all its replicas healthy (WaitForResourceHealthyAsync returns on the
    /// first healthy replica of a resource).
    /// </summary>
    public static async Task WaitForEveryReplicaHealthyAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        var health = new Dictionary<string, (string Resource, HealthStatus? Status, string? State)>();
        try
        {
            await foreach (var update in app.ResourceNotifications.WatchAsync(cancellationToken))
            {
                if (!SystemReplicas.ContainsKey(update.Resource.Name))
                {
                    continue;
                }
                health[update.ResourceId] = (update.Resource.Name, update.Snapshot.HealthStatus, update.Snapshot.State?.Text);
                if (SystemReplicas.All(r => health.Values.Count(h => h.Resource == r.Key && h.Status == HealthStatus.Healthy) == r.Value))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("Not every replica was healthy in time: " +
                string.Join(", ", health.Select(h => $"{h.Key} {h.Value.State} {h.Value.Status}")));
        }
    }

    /// <summary>One measurement of the app's ProbeTarget /fast endpoint.</summary>
    public static AspireProber.Prober.V1.ProbeRequest FastProbe(DistributedApplication app) => new()
    {
        Endpoint = new Uri(app.GetEndpoint("probetarget", "http"), "/fast").ToString(),
        Repetitions = 1,
    };

    /// <summary>The DCP replica ids (e.g. <c>prober-abcdwxyz</c>) of <paramref name="resourceName"/> with their process ids.</summary>
    public static async Task<Dictionary<string, int>> ProcessesAsync(DistributedApplication app, string resourceName)
    {
        var processes = new Dictionary<string, int>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (var update in app.ResourceNotifications.WatchAsync(timeout.Token))
        {
            if (update.Resource.Name == resourceName
                && update.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is int pid and > 0)
            {
                processes[update.ResourceId] = pid;
                if (processes.Count == SystemReplicas[resourceName])
                {
                    break;
                }
            }
        }
        return processes;
    }
}
