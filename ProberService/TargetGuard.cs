using System.Net;
using Microsoft.Extensions.Options;

namespace AspireProber.ProberService;

/// <summary>
/// The server-side request forgery guard: decides whether a target host or address may be probed. Link-local
/// ranges and cloud metadata endpoints are denied by default (a prober inside a cloud must not become a way to read
/// instance credentials); loopback and private ranges are allowed, so the demo can probe its local target.
/// </summary>
public sealed class TargetGuard
{
    private static readonly IPNetwork[] BuiltInDeny =
    [
        IPNetwork.Parse("169.254.0.0/16"),   // IPv4 link-local, including 169.254.169.254 (AWS, Azure, GCP, ... metadata)
        IPNetwork.Parse("fe80::/10"),        // IPv6 link-local
        IPNetwork.Parse("fd00:ec2::254/128"), // AWS metadata over IPv6
    ];

    // Names that resolve to a metadata service from inside a cloud, denied before any resolution.
    private static readonly HashSet<string> MetadataHosts = new(StringComparer.OrdinalIgnoreCase)
    {
        "metadata.google.internal",
        "metadata",
    };

    private readonly IPNetwork[] _allow;
    private readonly IPNetwork[] _deny;

    /// <summary>Builds the guard from <c>Prober:Guard</c>.</summary>
    public TargetGuard(IOptions<ProberOptions> options)
    {
        var guard = options.Value.Guard;
        _allow = guard.Allow.Select(IPNetwork.Parse).ToArray();
        _deny = [.. BuiltInDeny, .. guard.Deny.Select(IPNetwork.Parse)];
    }

    /// <summary>Why <paramref name="host"/> (a name or an address literal) may not be probed, or null when it may.</summary>
    public string? CheckHost(string host)
    {
        var name = host.TrimEnd('.');
        if (MetadataHosts.Contains(name))
        {
            return $"'{host}' is a cloud metadata endpoint";
        }
        return IPAddress.TryParse(name, out var address) ? CheckAddress(address) : null;
    }

    /// <summary>Why <paramref name="address"/> may not be connected to, or null when it may.</summary>
    public string? CheckAddress(IPAddress address)
    {
        // ::ffff:169.254.169.254 reaches the same host as 169.254.169.254; dual-mode sockets report IPv4 peers this way.
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && address.ScopeId != 0)
        {
            // fe80::1%eth0 is fe80::1 for range checks.
            address = new IPAddress(address.GetAddressBytes());
        }
        if (_allow.Any(range => range.Contains(address)))
        {
            return null;
        }
        foreach (var range in _deny)
        {
            if (range.Contains(address))
            {
                return $"{address} is in the denied range {range}";
            }
        }
        return null;
    }
}
