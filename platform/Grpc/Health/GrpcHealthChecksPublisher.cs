using Grpc.AspNetCore.Server.Internal;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Grpc.HealthCheck;

/// <summary>
/// Publishes the app's ASP.NET Core health checks (the ones /health runs) as gRPC health: the server ("")
/// and every mapped gRPC service are SERVING while the report is Healthy or Degraded, NOT_SERVING otherwise.
/// </summary>
internal sealed class GrpcHealthChecksPublisher(HealthServiceImpl health, GrpcServiceRegistry registry) : IHealthCheckPublisher
{
    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        var status = report.Status == HealthStatus.Unhealthy ? ServingStatus.NotServing : ServingStatus.Serving;
        health.SetStatus("", status);
        foreach (var service in registry.Services.Keys)
        {
            health.SetStatus(service, status);
        }
        return Task.CompletedTask;
    }
}
