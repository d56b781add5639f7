using AspireProber.Dashboard.Hosting;

// The dashboard: one process, three endpoints (UI, OTLP/gRPC, OTLP/HTTP) as in Aspire's dashboard; see DashboardEndpoints.
var builder = WebApplication.CreateBuilder(args);
builder.AddDashboardTelemetry();
builder.AddDashboardUi();

var app = builder.Build();
app.MapDashboardTelemetry();
app.MapDashboardUi();
app.Run();
