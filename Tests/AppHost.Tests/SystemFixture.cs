using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Grpc.Net.Client;

namespace AspireProber.AppHost.Tests;

/// <summary>One running system shared by the test classes of <see cref="SystemCollection"/>, which only read from it.</summary>
public sealed class SystemFixture : IAsyncLifetime
{
    /// <summary>The started app, every replica healthy.</summary>
    public DistributedApplication App { get; private set; } = null!;

    /// <summary>A channel to the runner's gRPC endpoint.</summary>
    public GrpcChannel RunnerChannel { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await RunningApp.StartAsync();
        RunnerChannel = GrpcChannel.ForAddress(App.GetEndpoint("runner", "grpc"));
    }

    public async Task DisposeAsync()
    {
        RunnerChannel?.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }
    }
}

/// <summary>The test classes that share one <see cref="SystemFixture"/> (one AppHost start for all of them).</summary>
[CollectionDefinition(Name)]
public sealed class SystemCollection : ICollectionFixture<SystemFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "system";
}
