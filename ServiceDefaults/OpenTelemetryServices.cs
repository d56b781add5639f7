using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// What OpenTelemetry.Extensions.Hosting adds (the package is not restorable here): an <see cref="IOpenTelemetryBuilder"/>
/// over the service collection, and a hosted service that builds the providers when the host starts. The SDK's
/// WithTracing/WithMetrics/WithLogging and the OTLP package's UseOtlpExporter do the rest. With the real package,
/// delete this file: the call sites stay the same.
/// </summary>
public static class OpenTelemetryServices
{
    /// <summary>Returns a builder to configure OpenTelemetry with; the providers start with the host.</summary>
    public static IOpenTelemetryBuilder AddOpenTelemetry(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, TelemetryHostedService>());
        return new OpenTelemetryServiceBuilder(services);
    }

    private sealed class OpenTelemetryServiceBuilder(IServiceCollection services) : IOpenTelemetryBuilder
    {
        public IServiceCollection Services { get; } = services;
    }

    // The providers are DI singletons that only listen once resolved; resolving them at start means telemetry
    // begins with the first request rather than with whoever happens to ask for a provider.
    private sealed class TelemetryHostedService(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = services.GetService<TracerProvider>();
            _ = services.GetService<MeterProvider>();
            _ = services.GetService<LoggerProvider>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
