using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace AspireProber.Hosting.Tests.Infrastructure;

/// <summary>Waits with a time limit (a broken orchestrator fails the test instead of hanging it) and reads replicas' endpoints.</summary>
internal static class AppExtensions
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static readonly HttpClient s_http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };

    public static Task WaitHealthyAsync(this DistributedApplication app, string resourceName) =>
        app.Explained(app.ResourceNotifications.WaitForResourceHealthyAsync(resourceName), $"{resourceName} healthy");

    public static Task<ResourceEvent> WaitForStateAsync(this DistributedApplication app, string resourceName, string state, int? replicaIndex = null) =>
        app.Explained(app.ResourceNotifications.WaitForResourceAsync(resourceName, e => e.Snapshot.State == state && (replicaIndex is null || e.ReplicaIndex == replicaIndex)), $"{resourceName} {state}");

    /// <summary>On timeout, fails with every replica's state and last output lines, which is what one needs to see why.</summary>
    public static async Task<T> Explained<T>(this DistributedApplication app, Task<T> wait, string what)
    {
        try
        {
            return await wait.WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            var states = app.ResourceNotifications.GetCurrentStates().OrderBy(e => e.ReplicaName).Select(e =>
                $"{e.ReplicaName}: {e.Snapshot.Describe()} {e.Snapshot.Reason}\n    " + string.Join("\n    ", app.ResourceLogs.GetBacklog(e.ReplicaName).TakeLast(8).Select(l => l.Content)));
            throw new TimeoutException($"Waited {Timeout.TotalSeconds} s for {what}. Replicas:\n{string.Join("\n", states)}");
        }
    }

    public static Task Explained(this DistributedApplication app, Task wait, string what) =>
        app.Explained(WithResult(wait), what);

    private static async Task<bool> WithResult(Task wait)
    {
        await wait;
        return true;
    }

    public static string Url(this DistributedApplication app, string resourceName, int replicaIndex = 0, string endpointName = "http") =>
        app.Model.GetResource(resourceName).GetAllocatedEndpoint(endpointName, replicaIndex).Url;

    public static async Task<Dictionary<string, string?>> GetEnvAsync(this DistributedApplication app, string resourceName, int replicaIndex = 0) =>
        (await s_http.GetFromJsonAsync<Dictionary<string, string?>>(app.Url(resourceName, replicaIndex) + "/env"))!;

    public static async Task<int> GetStatusAsync(string url)
    {
        using var response = await s_http.GetAsync(url);
        return (int)response.StatusCode;
    }
}
