// The prober: gRPC prober.v1.Prober on the grpc endpoint; /metrics and health on http (ServiceDefaults).
using AspireProber.ProberService;

await using var app = ProberApp.Create(args);
await app.RunAsync();
