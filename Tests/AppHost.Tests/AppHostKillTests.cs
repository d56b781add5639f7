namespace AspireProber.AppHost.Tests;

/// <summary>The real AppHost killed outright: its reaper still stops every service it started.</summary>
public sealed class AppHostKillTests
{
    private static readonly TimeSpan s_healthyLimit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task SIGKILL_of_the_AppHost_leaves_no_child_process()
    {
        await using var appHost = AppHostProcess.Start();
        await appHost.WaitForAllHealthyAsync(AppHostProcess.Replicas, s_healthyLimit);
        // Six replicas plus the reaper, each leading its own process group.
        Assert.True(appHost.Children.Length > AppHostProcess.Replicas.Length, $"Children of the AppHost: {string.Join(", ", appHost.Children)}");

        await appHost.KillAsync(TimeSpan.FromSeconds(10));

        // The reaper SIGTERMs the groups at once and SIGKILLs what is left 3 s later.
        var alive = await AppHostProcess.WaitUntilGoneAsync(appHost.Children, TimeSpan.FromSeconds(15));
        Assert.True(alive.Length == 0, $"Still running 15 s after SIGKILL of the AppHost: {string.Join(", ", alive)}");
    }
}
