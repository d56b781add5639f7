using AspireProber.Dashboard.Hosting;

// The dashboard: one process, three endpoints (UI, OTLP/gRPC, OTLP/HTTP) as in Aspire's dashboard; see DashboardEndpoints.
var builder = WebApplication.CreateBuilder(args);
builder.AddDashboardTelemetry();
// UI: pages, browser-token authentication, resource service client.

var app = builder.Build();
app.MapDashboardTelemetry();
// UI: pages and their routes.

app.Run();
