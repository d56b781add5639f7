namespace Aspire.Hosting.Testing;

/// <summary>
/// The builder an AppHost's entry point made, taken over by a test before Build: adjust configuration, services or
/// resources, then <see cref="BuildAsync"/>.
/// </summary>
public interface IDistributedApplicationTestingBuilder : IDistributedApplicationBuilder
{
    /// <summary>Builds the application (not started: call <see cref="DistributedApplication.StartAsync"/>, and dispose it to stop everything).</summary>
    Task<DistributedApplication> BuildAsync(CancellationToken cancellationToken = default);
}
