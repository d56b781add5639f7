// A stand-in for the product's services in the Hosting tests. It binds whatever Kestrel endpoints the AppHost
// configured, and: GET /health (200, or 503 while ECHO_UNHEALTHY=1 or before ECHO_HEALTHY_AFTER_MS), GET /env (its
// environment as JSON), grpc.health.v1 on an endpoint named "grpc", --log-lines=N (N stdout lines and one stderr
// line at start), --exit-code=N (exit at once with N). Standing in for the dashboard (AppHost:DashboardPath), it also
// listens where the dashboard's OTLP/gRPC receiver would (DOTNET_DASHBOARD_OTLP_ENDPOINT_URL), as the AppHost waits for it.
using System.Collections;
using Grpc.HealthCheck;
using Microsoft.AspNetCore.Builder;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

var builder = WebApplication.CreateBuilder(args);
if (builder.Configuration["exit-code"] is { } exitCode)
{
    Console.WriteLine($"exiting with {exitCode}");
    return int.Parse(exitCode);
}
for (var i = 1; i <= builder.Configuration.GetValue("log-lines", 0); i++)
{
    Console.WriteLine($"line {i}");
}
Console.Error.WriteLine("echo app started");

if (builder.Configuration["DOTNET_DASHBOARD_OTLP_ENDPOINT_URL"] is { } otlp && builder.Configuration["ASPNETCORE_URLS"] is { } ui)
{
    builder.WebHost.UseUrls(ui, otlp);
}

var grpc = builder.Configuration.GetSection("Kestrel:Endpoints:grpc").Exists();
if (grpc)
{
    builder.Services.AddGrpcServer();
    builder.Services.AddSingleton<HealthServiceImpl>();
}
var app = builder.Build();

var started = DateTime.UtcNow;
var healthyAfter = TimeSpan.FromMilliseconds(builder.Configuration.GetValue("ECHO_HEALTHY_AFTER_MS", 0));
var unhealthy = builder.Configuration["ECHO_UNHEALTHY"] == "1";
app.MapGet("/health", () => unhealthy || DateTime.UtcNow - started < healthyAfter ? Results.StatusCode(503) : Results.Text("Healthy"));
app.MapGet("/env", () => Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value));
if (grpc)
{
    // Set directly rather than through AddGrpcHealthChecks' publisher, which never published here (reported upstream).
    var health = app.Services.GetRequiredService<HealthServiceImpl>();
    app.Lifetime.ApplicationStarted.Register(() => health.SetStatus("", unhealthy ? ServingStatus.NotServing : ServingStatus.Serving));
    app.MapGrpcService<HealthServiceImpl>();
}
app.Run();
return 0;
