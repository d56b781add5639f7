// Two EchoApp replicas, an executable and an executable with a grandchild; once all run, prints
// "PIDS <pid> ..." (the replicas' process ids) and runs until killed, SIGTERMed, or its stdin closes (so a crashed
// test run does not leave it behind). Args: --echo-project=<EchoApp.csproj> plus any AppHost:* overrides.
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

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
var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
_ = Task.Run(async () =>
{
    await Console.In.ReadToEndAsync();
    lifetime.StopApplication();
});
await app.WaitForShutdownAsync();
