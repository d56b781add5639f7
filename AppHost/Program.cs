// AspireProber: prober replicas measure HTTP endpoints on request, a stock stream pushes back on a slow consumer
// through HTTP/2 flow control, and a runner drives both. Resource names are the service names the runner reads
// (services__prober__grpc__{i}, services__stock__grpc__0, services__probetarget__http__0).
var builder = DistributedApplication.CreateBuilder(args);

// Something to probe that works offline: scripted latency, statuses and failures.
var probetarget = builder.AddProject<Projects.AspireProber_ProbeTarget>("probetarget")
    .WithHttpEndpoint()
    .WithHttpHealthCheck();

// Three replicas: the runner balances per call across them and fans probes out to all of them.
var prober = builder.AddProject<Projects.AspireProber_ProberService>("prober")
    .WithReplicas(3)
    .WithEndpoint(name: "grpc", transport: EndpointTransports.Http2)
    .WithHttpEndpoint()
    .WithGrpcHealthCheck();

// Server-streamed stock updates, one stream per consumer, each write waiting for the consumer's HTTP/2 window.
var stock = builder.AddProject<Projects.AspireProber_StockStreamService>("stock")
    .WithEndpoint(name: "grpc", transport: EndpointTransports.Http2)
    .WithHttpEndpoint()
    .WithGrpcHealthCheck();

// Probes through every prober replica each round and consumes the stock stream fast and slow.
builder.AddProject<Projects.AspireProber_ProbeRunner>("runner")
    .WithEndpoint(name: "grpc", transport: EndpointTransports.Http2)
    .WithHttpEndpoint()
    .WithHttpHealthCheck()
    .WithReference(prober)
    .WithReference(stock)
    .WithReference(probetarget)
    .WaitFor(prober)
    .WaitFor(stock)
    .WaitFor(probetarget);

// The dashboard, Prometheus and Grafana join the model in the next slices of issue 4.
builder.Build().Run();
