using System.Diagnostics;
using Aspire.Hosting;
using Xunit.Abstractions;

namespace AspireProber.AppHost.Tests;

/// <summary>
/// The AppHost as <c>dotnet run --project AppHost</c> runs it (its own process, the dashboard on), killed with SIGKILL:
/// it gets no chance to stop anything, so what ends the rest is DCP, which watches the AppHost's pid
/// (<c>dcp start-apiserver --monitor</c>). Nothing may outlive it; the one thing left on disk, the run's Prometheus
/// folder, is deleted by the next AppHost's start.
/// </summary>
public sealed class AppHostKillTests(ITestOutputHelper log)
{
    // Seen here: every process gone 30-40 s after the kill (DCP's shutdown gives each child time to stop first).
    private static readonly TimeSpan s_reapLimit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task After_a_SIGKILL_of_the_AppHost_DCP_ends_every_process_it_started_and_the_next_start_deletes_the_Prometheus_folder()
    {
        // The AppHost's own TMPDIR holds DCP's state and the run's Prometheus folder; disposing it deletes them.
        using var appHost = BuiltAppHost.Start();
        var started = await appHost.WaitForEverythingStartedAsync();

        appHost.Kill();   // SIGKILL
        await appHost.WaitForExitAsync(TimeSpan.FromSeconds(10));
        var killed = Stopwatch.StartNew();

        Assert.Empty(await ProcessTable.SurvivorsAsync([.. started], s_reapLimit));
        log.WriteLine($"{started.Count} processes of DCP's, all gone {killed.Elapsed.TotalSeconds:0.0} s after the AppHost was killed");
        var left = Directory.GetDirectories(appHost.TempDirectory, PrometheusExtensions.FolderPrefix + "*");
        Assert.Single(left);
        Assert.StartsWith($"{PrometheusExtensions.FolderPrefix}{appHost.Id}-", Path.GetFileName(left[0]));
        PrometheusExtensions.DeleteFoldersOfEndedAppHosts(appHost.TempDirectory);
        Assert.Empty(Directory.GetDirectories(appHost.TempDirectory, PrometheusExtensions.FolderPrefix + "*"));
    }
}
