using Aspire.Hosting.ApplicationModel;
using AspireProber.Hosting.Tests.Infrastructure;

namespace AspireProber.Hosting.Tests;

/// <summary>Projects are built (one MSBuild run for all) and launched from their output.</summary>
public sealed class ProjectBuildTests
{
    [Fact]
    public async Task Projects_are_built_then_launched_from_their_target_path()
    {
        var builder = TestApps.CreateBuilder("--AppHost:BuildProjects=true");
        builder.AddEcho("built");
        await using var app = builder.Build();

        await app.StartAsync();
        await app.WaitHealthyAsync("built");

        var env = await app.GetEnvAsync("built");
        Assert.Equal("built", env["OTEL_SERVICE_NAME"]);
        Assert.Equal(KnownResourceStates.Running, app.ResourceNotifications.GetCurrentState("built")!.Snapshot.State);
    }
}
