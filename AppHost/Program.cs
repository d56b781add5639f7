// AspireProber: prober replicas measure HTTP endpoints on request, a stock stream pushes back on a slow consumer
// through HTTP/2 flow control, and a runner drives both. Resource names are the service names the runner reads
// (services__prober__grpc__{i}, services__stock__grpc__0, services__probetarget__http__0).
var builder = DistributedApplication.CreateBuilder(args);

// Something to probe that works offline: scripted latency, statuses and failures.
var probetarget = builder.AddProject<Projects.AspireProber_ProbeTarget>("probetarget")
    .WithHttpEndpoint()
    .WithHttpHealthCheck()
    .WithPrometheusScrape();

// Three replicas: the runner balances per call across them and fans probes out to all of them.
var prober = builder.AddProject<Projects.AspireProber_ProberService>("prober")
    .WithReplicas(3)
    .WithEndpoint(name: "grpc", transport: EndpointTransports.Http2)
    .WithHttpEndpoint()
    .WithGrpcHealthCheck()
    .WithPrometheusScrape();

// Server-streamed stock updates, one stream per consumer, each write waiting for the consumer's HTTP/2 window.
var stock = builder.AddProject<Projects.AspireProber_StockStreamService>("stock")
    .WithEndpoint(name: "grpc", transport: EndpointTransports.Http2)
    .WithHttpEndpoint()
    .WithGrpcHealthCheck()
    .WithPrometheusScrape();

// Probes through every prober replica each round and consumes the stock stream fast and slow.
builder.AddProject<Projects.AspireProber_ProbeRunner>("runner")
    .WithEndpoint(name: "grpc", transport: EndpointTransports.Http2)
    .WithHttpEndpoint()
    .WithHttpHealthCheck()
    .WithPrometheusScrape()
    .WithReference(prober)
    .WithReference(stock)
    .WithReference(probetarget)
    .WaitFor(prober)
    .WaitFor(stock)
    .WaitFor(probetarget);

// Scrapes /metrics of every replica marked WithPrometheusScrape, every 2 s; its configuration is generated from this
// model at start (and by `publish`, with compose addresses). Nothing waits: a target not up yet is just "down" until
// its replica listens.
var prometheus = builder.AddPrometheus("prometheus");

// The Backpressure, Probers and gRPC dashboards of ../grafana over Prometheus. Needs a container engine: without one
// it is RuntimeUnavailable, and the rest of the system runs as usual.
builder.AddGrafana("grafana", "../grafana")
    .WithDataSource(prometheus)
    .WaitFor(prometheus);

// The dashboard (traces, metrics, logs, resources, backpressure) needs no line here: as in Aspire, the AppHost adds it
// and prints its login URL.
builder.Build().Run();
