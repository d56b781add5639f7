using Grpc.Net.Client.Configuration;

namespace Grpc.Net.Client.Internal;

/// <summary>
/// Picks the address of each call. gRPC keeps one HTTP/2 connection per address, so balancing per connection would
/// send everything to one replica; this balances per call instead. An address that refused a connection is skipped
/// for a backoff period, after which calls try it again.
/// </summary>
internal sealed class AddressBalancer
{
    private readonly Uri[] _addresses;
    private readonly LoadBalancingPolicy _policy;
    private readonly long _backoffMilliseconds;
    private readonly long[] _skippedUntil;
    private readonly string?[] _lastFailure;
    private int _next = -1;

    public AddressBalancer(IReadOnlyList<Uri> addresses, LoadBalancingPolicy policy, TimeSpan backoff)
    {
        _addresses = addresses.ToArray();
        _policy = policy;
        _backoffMilliseconds = (long)backoff.TotalMilliseconds;
        _skippedUntil = new long[_addresses.Length];
        _lastFailure = new string?[_addresses.Length];
    }

    public IReadOnlyList<Uri> Addresses => _addresses;

    /// <summary>
    /// The address for the next attempt: one not in <paramref name="exclude"/> (already tried by this call) and not
    /// skipped, or null when there is none.
    /// </summary>
    public Uri? Pick(IReadOnlyCollection<Uri> exclude)
    {
        var count = _addresses.Length;
        var start = _policy == LoadBalancingPolicy.RoundRobin ? (int)((uint)Interlocked.Increment(ref _next) % (uint)count) : 0;
        var now = Environment.TickCount64;
        for (var i = 0; i < count; i++)
        {
            var index = (start + i) % count;
            if (Volatile.Read(ref _skippedUntil[index]) <= now && !exclude.Contains(_addresses[index]))
            {
                return _addresses[index];
            }
        }
        return null;
    }

    /// <summary>True while the address is being skipped after a failed connection.</summary>
    public bool IsSkipped(Uri address)
    {
        var index = Array.IndexOf(_addresses, address);
        return index >= 0 && Volatile.Read(ref _skippedUntil[index]) > Environment.TickCount64;
    }

    /// <summary>Skips the address for the backoff period.</summary>
    public void ReportConnectFailure(Uri address, string reason)
    {
        var index = Array.IndexOf(_addresses, address);
        if (index >= 0)
        {
            _lastFailure[index] = reason;
            Volatile.Write(ref _skippedUntil[index], Environment.TickCount64 + _backoffMilliseconds);
        }
    }

    /// <summary>A connection worked: the address is healthy again.</summary>
    public void ReportConnected(Uri address)
    {
        var index = Array.IndexOf(_addresses, address);
        if (index >= 0 && Volatile.Read(ref _skippedUntil[index]) != 0)
        {
            Volatile.Write(ref _skippedUntil[index], 0);
        }
    }

    /// <summary>Describes why calls cannot go anywhere: each address with its last connection failure.</summary>
    public string DescribeUnavailable(IReadOnlyCollection<Uri> candidates)
    {
        var parts = candidates.Select(address =>
        {
            var index = Array.IndexOf(_addresses, address);
            var reason = index >= 0 ? _lastFailure[index] : null;
            return reason is null ? address.ToString() : $"{address} ({reason})";
        });
        return "No address is reachable: " + string.Join(", ", parts);
    }
}
