namespace Grpc.Net.Client.Configuration;

/// <summary>How a channel with several addresses spreads its calls.</summary>
public enum LoadBalancingPolicy
{
    /// <summary>Each call goes to the next healthy address in turn (gRPC's <c>round_robin</c>).</summary>
    RoundRobin,

    /// <summary>Every call goes to the first healthy address, in the order given (gRPC's <c>pick_first</c>).</summary>
    PickFirst,
}

/// <summary>
/// The channel's service config, shaped like gRPC's (grpc/grpc doc/service_config.md) and grpc-dotnet's
/// <c>Grpc.Net.Client.Configuration.ServiceConfig</c>: a balancing policy and per-method settings.
/// </summary>
public sealed class ServiceConfig
{
    /// <summary>How calls are spread over the channel's addresses; round-robin unless set.</summary>
    public LoadBalancingPolicy LoadBalancingPolicy { get; set; } = LoadBalancingPolicy.RoundRobin;

    /// <summary>Per-method settings; the most specific matching name wins (method, then service, then default).</summary>
    public IList<MethodConfig> MethodConfigs { get; } = new List<MethodConfig>();
}
