using System.Security.Cryptography;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Grpc.Net.Client;

namespace AspireProber.AppHost.Tests;

/// <summary>
/// One running system, with the Aspire dashboard as <c>dotnet run --project AppHost</c> has it, shared by the test
/// classes of <see cref="SystemCollection"/>, which only read from it.
/// </summary>
public sealed class SystemFixture : IAsyncLifetime
{
    /// <summary>The started app, every replica healthy.</summary>
    public DistributedApplication App { get; private set; } = null!;

    /// <summary>A channel to the runner's gRPC endpoint.</summary>
    public GrpcChannel RunnerChannel { get; private set; } = null!;

    /// <summary>The dashboard's login URL, with its browser token.</summary>
    public Uri DashboardLogin { get; private set; } = null!;

    /// <summary>The dashboard's address (scheme, host and port).</summary>
    public Uri Dashboard => new(DashboardLogin.GetLeftPart(UriPartial.Authority));

    /// <summary>The key of the dashboard's telemetry API (<c>x-api-key</c>).</summary>
    public string DashboardApiKey { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public async Task InitializeAsync()
    {
        // Both keys are given here, so the AppHost generates none and stores none in the user's secrets.
        App = await RunningApp.StartAsync(dashboard: true,
            $"--AppHost:DashboardApiKey={DashboardApiKey}", $"--AppHost:OtlpApiKey={Convert.ToHexString(RandomNumberGenerator.GetBytes(16))}");
        RunnerChannel = GrpcChannel.ForAddress(App.GetEndpoint("runner", "grpc"));
        DashboardLogin = await App.GetDashboardUrlAsync();
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
