// AspireProber: prober replicas measure HTTP endpoints on request, a stock stream pushes back on a slow consumer
// through HTTP/2 flow control, and a runner drives both. Each project declares its "grpc" (HTTP/2) and "http"
// (HTTP/1.1: /health, /alive, /metrics) endpoints in its appsettings.json Kestrel section, which Aspire turns into
// the resource's endpoints; resource names are the service names the runner resolves (services__{name}__{endpoint}__{i}).
var builder = DistributedApplication.CreateBuilder(args);

// The dashboard's addresses come from the launch profile (Properties/launchSettings.json): a wrong one is named here,
// before anything starts.
builder.CheckDashboardAddresses();

// Each service runs as its built program rather than under `dotnet run`, so Stop and Ctrl+C reach it at once
// (BuildOutputLaunch says why).
builder.StartProjectsFromBuildOutput();

// Every endpoint is plain HTTP (gRPC as h2c): no project takes an HTTPS certificate, so Aspire need not warn that no
// trusted development certificate is installed (PlainHttp says why it would).
builder.WithoutHttpsCertificates();

// Something to probe that works offline: scripted latency, statuses and failures.
var probetarget = builder.AddProject<Projects.AspireProber_ProbeTarget>("probetarget")
    .WithHttpHealthCheck("/health")
    .WithPrometheusScrape();

// Three replicas: the runner balances per call across them and fans probes out to all of them.
var prober = builder.AddProject<Projects.AspireProber_ProberService>("prober")
    .WithReplicas(3)
    .WithHttpHealthCheck("/health")
    .WithPrometheusScrape();

// Server-streamed stock updates, one stream per consumer, each write waiting for the consumer's HTTP/2 window.
var stock = builder.AddProject<Projects.AspireProber_StockStreamService>("stock")
    .WithHttpHealthCheck("/health")
    .WithPrometheusScrape();

// Prometheus, scraping /metrics of every replica marked WithPrometheusScrape every 2 s: Debian's executable, or the
// prom/prometheus container when that is not installed and a container engine answers (Prometheus:Runtime). Nothing
// waits for it: a replica not up yet is just "down" until it listens.
var prometheus = builder.AddPrometheus("prometheus");

// Probes the AppHost's Runner:Targets through every prober replica each round and consumes the stock stream fast and
// slow. The prober replicas are referenced one address each (ReplicaEndpoints): through DCP's proxy, one HTTP/2
// connection reaches one replica.
// Its backpressure view (sent vs received per consumer, from Prometheus, or from the stock service and itself when
// Prometheus cannot be read) is linked in the dashboard.
// WaitForStart, not WaitFor: the runner starts once the services run rather than once they are healthy, because its
// gRPC channels connect whenever a service starts listening. Waiting for healthy put a second start-up behind the
// first: in one traced start the runner began at 8.5 s instead of 3.6 s.
var runner = builder.AddProject<Projects.AspireProber_ProbeRunner>("runner")
    .WithHttpHealthCheck("/health")
    .WithPrometheusScrape()
    .WithRunnerTargets(builder.Configuration)
    .WithReplicaReferences(prober, "grpc")
    .WithReference(stock).WaitForStart(stock)
    .WithReference(probetarget).WaitForStart(probetarget)
    .WithReference(prometheus.GetEndpoint("http"))
    .WithUrlForEndpoint("http", url =>
    {
        url.Url = "/backpressure";
        url.DisplayText = "Backpressure: sent vs received";
    })
    // Browsers cannot speak h2c: the grpc address is listed on the resource's details only.
    .WithUrlForEndpoint("grpc", url => url.DisplayLocation = UrlDisplayLocation.DetailsOnly);

// The probers' API key, a secret parameter, on where it is given a value (dotnet user-secrets set
// Parameters:prober-api-key <key> in AppHost/, or --Parameters:prober-api-key=<key>): every replica then requires
// "authorization: Bearer <key>" and the runner sends it. Without one the demo starts as it is, asking for nothing.
if (builder.Configuration["Parameters:prober-api-key"] is not null)
{
    var proberApiKey = builder.AddParameter("prober-api-key", secret: true);
    prober.WithEnvironment("Prober__ApiKey", proberApiKey);
    runner.WithEnvironment("Runner__ProberApiKey", proberApiKey);
}

// The Backpressure, Probers and gRPC dashboards of ../grafana over Prometheus. Grafana is a container, and Aspire's
// start waits for every container to be created: without a container engine it would wait for good. So it joins the
// run only where an engine answers; elsewhere the console says so once and points at the runner's backpressure view.
if (builder.CanRunGrafana())
{
    builder.AddGrafana("grafana", "../grafana")
        .WithDataSource(prometheus)
        .WaitFor(prometheus);
}
else
{
    builder.LogGrafanaLeftOut(runner.GetEndpoint("http"));
}

// The Aspire dashboard (resources, console and structured logs, traces, metrics) needs no line here: the AppHost
// starts it and prints its login URL.

// Publishing (--operation publish --step publish --output-path <dir>) writes this system as docker-compose.yaml: one
// service per prober replica, Prometheus as its image with a generated prometheus.yml, and an Aspire dashboard.
builder.AddDockerComposePublishing();

builder.Build().Run();
