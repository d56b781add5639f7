// ProbeTarget: a local HTTP target with scripted latency, status codes and failures, so the demo runs offline.
using AspireProber.ProbeTarget;

await using var app = ProbeTargetApp.Create(args);
await app.RunAsync();
