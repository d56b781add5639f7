// Two EchoApp replicas, an executable and an executable with a grandchild; once all run, prints
// "PIDS <pid> ..." (the replicas' process ids) and runs until killed. Args: --echo-project=<EchoApp.csproj> plus
// any AppHost:* overrides.
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

var builder = DistributedApplication.CreateBuilder(args);
builder.AddProject("echo", builder.Configuration["echo-project"]!).WithHttpEndpoint().WithReplicas(2);
builder.AddExecutable("sleeper", "sleep", ".", "300");
builder.AddExecutable("parent", "bash", ".", "-c", "sleep 300 & wait");
await using var app = builder.Build();
await app.StartAsync();

var running = new Dictionary<string, int>();
await foreach (var resourceEvent in app.ResourceNotifications.WatchAsync())
{
    if (resourceEvent.Snapshot is { State: KnownResourceStates.Running, ProcessId: { } pid })
    {
        running[resourceEvent.ReplicaName] = pid;
    }
    if (running.Count == 4)
    {
        break;
    }
}
Console.WriteLine($"PIDS {string.Join(' ', running.Values)}");
await Task.Delay(Timeout.Infinite);
