using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace AspireProber.AppHost.Tests;

/// <summary>The real AppHost's model started in this process through Aspire.Hosting.Testing, the system's resources healthy.</summary>
internal static class AppHostModel
{
    /// <summary>The resources of the system itself (the model may add tooling such as a dashboard around them).</summary>
    public static readonly string[] SystemResources = ["probetarget", "prober", "stock", "runner"];

    // Generous: this runs on a loaded 2-core CI machine, next to other test assemblies starting their own servers.
    public static readonly TimeSpan HealthyLimit = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Builds and starts the AppHost's model (after <paramref name="configure"/> adjusts it) and waits until every
    /// replica of the system's resources is healthy. The caller disposes the result, which stops every process; a failed start disposes it here.
    /// </summary>
    public static async Task<DistributedApplication> StartAsync(Action<IDistributedApplicationTestingBuilder>? configure = null)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AspireProber_AppHost>();
        configure?.Invoke(builder);
        var app = await builder.BuildAsync();
        try
        {
            using var timeout = new CancellationTokenSource(HealthyLimit);
            await app.StartAsync(timeout.Token);
            await Task.WhenAll(SystemResources.Select(r => app.ResourceNotifications.WaitForResourceHealthyAsync(r, timeout.Token)));
            return app;
        }
        catch (OperationCanceledException)
        {
            var states = string.Join(", ", app.ResourceNotifications.GetCurrentStates().Select(e => $"{e.ReplicaName}: {e.Snapshot.Describe()} {e.Snapshot.Reason}"));
            await app.DisposeAsync();
            throw new TimeoutException($"Not every system resource was healthy within {HealthyLimit.TotalSeconds} s: {states}");
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sets an environment variable on every replica of <paramref name="resourceName"/> (e.g. a shorter interval).</summary>
    public static void WithEnvironment(this IDistributedApplicationTestingBuilder builder, string resourceName, string name, string value) =>
        builder.Resources.Single(r => r.Name == resourceName).Annotations.Add(new EnvironmentCallbackAnnotation(name, () => value));
}
