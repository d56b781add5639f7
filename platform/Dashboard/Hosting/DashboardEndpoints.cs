using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;

namespace AspireProber.Dashboard.Hosting;

/// <summary>
/// Where the dashboard listens, from the variables Aspire's dashboard reads: <c>ASPNETCORE_URLS</c> (UI),
/// <c>DOTNET_DASHBOARD_OTLP_ENDPOINT_URL</c> (OTLP/gRPC) and <c>DOTNET_DASHBOARD_OTLP_HTTP_ENDPOINT_URL</c> (OTLP/HTTP), each an
/// <c>http://host:port</c> URL (port 0: any free port). After start, <see cref="GetUrl"/> gives the bound addresses.
/// </summary>
public sealed class DashboardEndpoints
{
    /// <summary>The configuration key of the OTLP/gRPC endpoint URL.</summary>
    public const string OtlpGrpcUrlKey = "DOTNET_DASHBOARD_OTLP_ENDPOINT_URL";

    /// <summary>The configuration key of the OTLP/HTTP endpoint URL.</summary>
    public const string OtlpHttpUrlKey = "DOTNET_DASHBOARD_OTLP_HTTP_ENDPOINT_URL";

    /// <summary>The configuration key of the UI URL (ASPNETCORE_URLS arrives as "urls").</summary>
    public const string UiUrlKey = "urls";

    private readonly Dictionary<DashboardEndpointKind, Uri> _configured = [];
    private readonly List<(DashboardEndpointKind Kind, ListenOptions Options)> _bound = [];

    private DashboardEndpoints()
    {
    }

    /// <summary>Reads the three URLs (defaults 18888, 18889, 18890 on 127.0.0.1) and makes Kestrel listen on them.</summary>
    internal static DashboardEndpoints Configure(IConfiguration configuration, IWebHostBuilder webHost)
    {
        var endpoints = new DashboardEndpoints();
        endpoints._configured[DashboardEndpointKind.Ui] = ParseUrl(configuration[UiUrlKey], "http://127.0.0.1:18888", "ASPNETCORE_URLS");
        endpoints._configured[DashboardEndpointKind.OtlpGrpc] = ParseUrl(configuration[OtlpGrpcUrlKey], "http://127.0.0.1:18889", OtlpGrpcUrlKey);
        endpoints._configured[DashboardEndpointKind.OtlpHttp] = ParseUrl(configuration[OtlpHttpUrlKey], "http://127.0.0.1:18890", OtlpHttpUrlKey);

        // Kestrel binds these endpoints instead of the "urls" setting (it logs "Overriding address(es)" when urls is set).
        webHost.ConfigureKestrel(kestrel =>
        {
            endpoints.Listen(kestrel, DashboardEndpointKind.Ui, HttpProtocols.Http1);
            // Cleartext HTTP/2 needs an HTTP/2-only endpoint: Http1AndHttp2 without TLS falls back to HTTP/1.1.
            endpoints.Listen(kestrel, DashboardEndpointKind.OtlpGrpc, HttpProtocols.Http2);
            endpoints.Listen(kestrel, DashboardEndpointKind.OtlpHttp, HttpProtocols.Http1);
        });
        return endpoints;
    }

    /// <summary>The URL an endpoint is bound to (with the real port once bound), or the configured one before start; no trailing slash.</summary>
    public string GetUrl(DashboardEndpointKind kind)
    {
        lock (_bound)
        {
            foreach (var (boundKind, options) in _bound)
            {
                if (boundKind == kind && options.IPEndPoint is { Port: > 0 } bound)
                {
                    return $"http://{bound}";
                }
            }
        }
        return _configured[kind].GetLeftPart(UriPartial.Authority);
    }

    /// <summary>Which endpoint a connection's local port belongs to; null for a port the dashboard did not bind (a test server).</summary>
    public DashboardEndpointKind? KindOfPort(int localPort)
    {
        lock (_bound)
        {
            foreach (var (kind, options) in _bound)
            {
                if (options.IPEndPoint?.Port == localPort)
                {
                    return kind;
                }
            }
        }
        return null;
    }

    private void Listen(KestrelServerOptions kestrel, DashboardEndpointKind kind, HttpProtocols protocols)
    {
        var url = _configured[kind];
        var address = url.Host switch
        {
            "localhost" => IPAddress.Loopback,
            "*" or "+" or "0.0.0.0" => IPAddress.Any,
            _ => IPAddress.Parse(url.Host.Trim('[', ']')),
        };
        kestrel.Listen(address, url.Port, options =>
        {
            options.Protocols = protocols;
            lock (_bound)
            {
                _bound.Add((kind, options));
            }
        });
    }

    private static Uri ParseUrl(string? value, string fallback, string name)
    {
        // ASPNETCORE_URLS may list several; the dashboard listens on the first.
        var text = string.IsNullOrWhiteSpace(value) ? fallback : value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
        // "*" and "+" are not valid URI hosts: read them as the any-address they mean.
        var parsable = text.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
        if (!Uri.TryCreate(parsable, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttp
            || (url.Host != "localhost" && !IPAddress.TryParse(url.Host.Trim('[', ']'), out _)))
        {
            throw new InvalidOperationException(
                $"{name} = '{text}' is not supported: use http://<ip address or localhost>:<port> (port 0 picks a free one; TLS is not supported).");
        }
        return url;
    }
}
