using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The endpoint contract of every service: Kestrel endpoints come from configuration, the section WebApplication
/// reads by itself —
/// <c>Kestrel:Endpoints:grpc</c> (<c>Protocols=Http2</c>: cleartext HTTP/2 needs an HTTP/2-only endpoint) for gRPC and
/// <c>Kestrel:Endpoints:http</c> (<c>Protocols=Http1</c>) for /metrics, /health and /alive. The AppHost sets them as
/// <c>Kestrel__Endpoints__{name}__Url</c>/<c>__Protocols</c>; a service's appsettings.json may give fixed local
/// defaults. With no endpoint configured at all (no Kestrel endpoints, urls or http_ports), both are bound to
/// 127.0.0.1 on ports the OS picks, and Kestrel logs them.
/// </summary>
public sealed class KestrelEndpoints
{
    /// <summary>The name of the HTTP/2-only gRPC endpoint.</summary>
    public const string Grpc = "grpc";

    /// <summary>The name of the HTTP/1.1 endpoint of /metrics, /health and /alive.</summary>
    public const string Http = "http";

    private volatile ListenOptions? _http;

    /// <summary>Adds the fallback endpoints when none is configured and tracks where the http endpoint is bound.</summary>
    internal static void Configure(IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (!configuration.GetSection("Kestrel:Endpoints").GetChildren().Any()
            && string.IsNullOrEmpty(configuration["urls"])
            && string.IsNullOrEmpty(configuration["http_ports"])
            && string.IsNullOrEmpty(configuration["https_ports"]))
        {
            configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"Kestrel:Endpoints:{Grpc}:Url"] = "http://127.0.0.1:0",
                [$"Kestrel:Endpoints:{Grpc}:Protocols"] = nameof(HttpProtocols.Http2),
                [$"Kestrel:Endpoints:{Http}:Url"] = "http://127.0.0.1:0",
                [$"Kestrel:Endpoints:{Http}:Protocols"] = nameof(HttpProtocols.Http1),
            });
        }

        var endpoints = new KestrelEndpoints();
        builder.Services.AddSingleton(endpoints);
        builder.Services.Configure<KestrelServerOptions>(kestrel =>
        {
            // WebApplication has already attached the "Kestrel" section's loader; a plain host has not.
            var loader = kestrel.ConfigurationLoader ?? kestrel.Configure(configuration.GetSection("Kestrel"), reloadOnChange: true);
            loader.Endpoint(Http, endpoint => endpoints._http = endpoint.ListenOptions);
        });
    }

    /// <summary>The port the http endpoint is bound to (the real one once a configured port 0 is bound), or null when there is none.</summary>
    public int? HttpPort => _http?.IPEndPoint?.Port;

    /// <summary>Lets <paramref name="endpoint"/> answer only on the http endpoint (404 elsewhere), when there is one.</summary>
    internal void RestrictToHttpEndpoint(IEndpointConventionBuilder endpoint) => endpoint.Add(builder =>
    {
        var inner = builder.RequestDelegate!;
        builder.RequestDelegate = context =>
        {
            if (HttpPort is { } port && context.Connection.LocalPort != port)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
            return inner(context);
        };
    });
}
