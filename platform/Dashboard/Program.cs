using AspireProber.Dashboard.Hosting;

// The dashboard: one process, three endpoints (UI, OTLP/gRPC, OTLP/HTTP) as in Aspire's dashboard; see DashboardEndpoints.
var builder = WebApplication.CreateBuilder(args);
builder.AddDashboardTelemetry();
// The UI (pages, browser-token authentication, resource service client) registers here: builder.AddDashboardUi();

var app = builder.Build();
app.MapDashboardTelemetry();
// The UI maps its pages here: app.MapDashboardUi();

app.Run();
