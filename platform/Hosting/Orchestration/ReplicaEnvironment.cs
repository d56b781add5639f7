using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Hosting;

namespace Aspire.Hosting.Orchestration;

/// <summary>The env-var contract of DESIGN.md §3, as Aspire sets it, so the services run unchanged under real Aspire.</summary>
internal static class ReplicaEnvironment
{
    /// <summary>What every project replica gets: Kestrel endpoints, environment name, OpenTelemetry identity and export settings.</summary>
    /// <remarks><paramref name="bindHost"/> is the host Kestrel binds: the allocated (loopback) one when null, <c>+</c> (every interface) in a container.</remarks>
    public static void AddProjectDefaults(IDictionary<string, string?> env, IResource resource, int replicaIndex, IHostEnvironment hostEnvironment, OtlpExport? otlp, string? bindHost = null)
    {
        foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>())
        {
            var allocated = endpoint.AllocatedEndpoints[replicaIndex];
            env[$"Kestrel__Endpoints__{endpoint.Name}__Url"] = $"{endpoint.UriScheme}://{bindHost ?? allocated.Host}:{allocated.TargetPort}";
            // HTTP/2-only is what makes cleartext gRPC work: Http1AndHttp2 without TLS falls back to HTTP/1.1.
            env[$"Kestrel__Endpoints__{endpoint.Name}__Protocols"] = endpoint.Transport == EndpointTransports.Http2 ? "Http2" : "Http1";
        }
        // The AppHost's own launch-profile URLs must not leak into the services (Kestrel would warn, or bind them).
        env["ASPNETCORE_URLS"] = null;
        env["ASPNETCORE_HTTP_PORTS"] = null;
        env["ASPNETCORE_HTTPS_PORTS"] = null;
        env["ASPNETCORE_ENVIRONMENT"] = hostEnvironment.EnvironmentName;
        env["DOTNET_ENVIRONMENT"] = hostEnvironment.EnvironmentName;
        env["OTEL_SERVICE_NAME"] = resource.Name;
        env["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={resource.GetReplicaName(replicaIndex)}";
        if (otlp is not null)
        {
            env["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp.Endpoint;
            env["OTEL_EXPORTER_OTLP_PROTOCOL"] = otlp.Protocol;
            env["OTEL_EXPORTER_OTLP_HEADERS"] = otlp.Headers;
        }
        if (hostEnvironment.IsDevelopment())
        {
            // Seconds, not the defaults' minute, between a request and its telemetry on the dashboard.
            env["OTEL_METRIC_EXPORT_INTERVAL"] = "1000";
            env["OTEL_BSP_SCHEDULE_DELAY"] = "1000";
            env["OTEL_BLRP_SCHEDULE_DELAY"] = "1000";
        }
    }

    /// <summary>Endpoints that name an env var get the port the process must listen on.</summary>
    public static void AddEndpointPorts(IDictionary<string, string?> env, IResource resource, int replicaIndex)
    {
        foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>().Where(e => e.EnvironmentVariable is not null))
        {
            env[endpoint.EnvironmentVariable!] = endpoint.AllocatedEndpoints[replicaIndex].TargetPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The resource's own WithEnvironment/WithReference callbacks, in order, after the defaults so they can override them.</summary>
    public static void AddCallbacks(IDictionary<string, string?> env, IResource resource, int replicaIndex)
    {
        var context = new EnvironmentCallbackContext(resource, replicaIndex, env);
        foreach (var annotation in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            annotation.Callback(context);
        }
    }

    /// <summary>The resource's WithArgs callbacks' arguments for one replica.</summary>
    public static List<string> Args(IResource resource, int replicaIndex)
    {
        var args = new List<string>();
        var context = new CommandLineArgsCallbackContext(resource, replicaIndex, args);
        foreach (var annotation in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            annotation.Callback(context);
        }
        return args;
    }
}
