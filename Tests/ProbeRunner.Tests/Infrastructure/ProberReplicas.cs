using AspireProber.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;

namespace AspireProber.ProbeRunner.Tests.Infrastructure;

/// <summary>
/// The runner's per-replica channels over given prober addresses, configured as the AppHost configures the runner
/// (<c>services:prober:grpc:{i}</c>) and resolved by the real service discovery; disposed with the test.
/// </summary>
public sealed class ProberReplicas : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public ProberReplicas(params Uri[] addresses)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(addresses.Select((address, i) => new KeyValuePair<string, string?>($"services:prober:grpc:{i}", address.ToString())))
            .Build();
        _services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddServiceDiscovery()
            .AddSingleton<ReplicaChannels>()
            .BuildServiceProvider();
    }

    public ReplicaChannels Channels => _services.GetRequiredService<ReplicaChannels>();

    /// <summary>A fan-out over these replicas recording into <paramref name="meters"/>, with <paramref name="options"/> (the defaults if none).</summary>
    public ProbeFanOut FanOut(TestMeters meters, RunnerOptions? options = null) =>
        new(Channels, meters.Metrics, Microsoft.Extensions.Options.Options.Create(options ?? new RunnerOptions()));

    // Service discovery's resolver is only asynchronously disposable.
    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
