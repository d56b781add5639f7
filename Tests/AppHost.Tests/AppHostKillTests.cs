using System.Diagnostics;
using System.Text;
using Aspire.Hosting;
using AspireProber.Tests.Shared;
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
    private static readonly TimeSpan s_startLimit = TimeSpan.FromSeconds(150);

    // Seen here: every process gone 30-40 s after the kill (DCP's shutdown gives each child time to stop first).
    private static readonly TimeSpan s_reapLimit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task After_a_SIGKILL_of_the_AppHost_DCP_ends_every_process_it_started_and_the_next_start_deletes_the_Prometheus_folder()
    {
        // Its own TMPDIR: DCP's state and the Prometheus folder land there, and the test deletes it whatever happens.
        var temp = Directory.CreateTempSubdirectory("aspireprober-apphost-kill-").FullName;
        var output = new StringBuilder();
        using var appHost = StartAppHost(temp, output);
        var started = new List<int>();
        try
        {
            started.AddRange(await WaitForEverythingStartedAsync(appHost, output));

            appHost.Kill();   // SIGKILL
            await appHost.WaitForExitAsync();
            var killed = Stopwatch.StartNew();

            Assert.Empty(await ProcessTable.SurvivorsAsync(started, s_reapLimit));
            log.WriteLine($"{started.Count} processes of DCP's, all gone {killed.Elapsed.TotalSeconds:0.0} s after the AppHost was killed");
            var left = Directory.GetDirectories(temp, PrometheusExtensions.FolderPrefix + "*");
            Assert.Single(left);
            Assert.StartsWith($"{PrometheusExtensions.FolderPrefix}{appHost.Id}-", Path.GetFileName(left[0]));
            PrometheusExtensions.DeleteFoldersOfEndedAppHosts(temp);
            Assert.Empty(Directory.GetDirectories(temp, PrometheusExtensions.FolderPrefix + "*"));
        }
        finally
        {
            foreach (var pid in started.Prepend(appHost.Id).Where(ProcessTable.IsAlive))
            {
                try
                {
                    Process.GetProcessById(pid).Kill();
                }
                catch (ArgumentException)
                {
                    // ended meanwhile
                }
            }
            Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>The built AppHost, started as <see cref="AppHostLaunch"/> describes; its output collected for failure messages.</summary>
    private static Process StartAppHost(string temp, StringBuilder output)
    {
        // The AppHost's build output in this test project's configuration (bin/{Configuration}/net10.0).
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var info = new ProcessStartInfo(Path.Combine(RepoPaths.Root(), "AppHost", "bin", configuration, "net10.0", "AspireProber.AppHost"))
        {
            WorkingDirectory = Path.Combine(RepoPaths.Root(), "AppHost"),
        };
        AppHostLaunch.Configure(info, temp);
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        process.ErrorDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// Waits until DCP runs the dashboard, prometheus and every service replica (each its built executable), and
    /// returns DCP's processes and all of theirs.
    /// </summary>
    private static async Task<int[]> WaitForEverythingStartedAsync(Process appHost, StringBuilder output)
    {
        var expected = RunningApp.SystemReplicas.ToDictionary(r => ServiceExecutable(r.Key), r => r.Value);
        var deadline = DateTime.UtcNow + s_startLimit;
        while (true)
        {
            var dcp = ProcessTable.All().Where(pid => ProcessTable.CommandLine(pid)?.Contains($"--monitor {appHost.Id}", StringComparison.Ordinal) == true).ToArray();
            int[] processes = [.. dcp, .. dcp.SelectMany(ProcessTable.DescendantsOf)];
            var commands = processes.Select(ProcessTable.CommandLine).OfType<string>().ToArray();
            var running = expected.Keys.ToDictionary(exe => exe, exe => commands.Count(c => c.StartsWith(exe, StringComparison.Ordinal)));
            if (running.All(r => r.Value == expected[r.Key])
                && commands.Any(c => c.Contains("Aspire.Dashboard", StringComparison.Ordinal))
                && commands.Any(c => c.StartsWith("prometheus ", StringComparison.Ordinal)))
            {
                return processes;
            }
            if (appHost.HasExited)
            {
                Assert.Fail($"The AppHost exited ({appHost.ExitCode}):\n{Tail(output)}");
            }
            Assert.True(DateTime.UtcNow < deadline,
                $"Within {s_startLimit.TotalSeconds} s not everything ran: {string.Join(", ", running.Select(r => $"{Path.GetFileName(r.Key)} {r.Value}/{expected[r.Key]}"))}\n"
                + $"{string.Join("\n", commands)}\n{Tail(output)}");
            await Task.Delay(500);
        }
    }

    // A resource's service executable, e.g. <repo>/ProberService/bin/Release/net10.0/AspireProber.ProberService.
    private static string ServiceExecutable(string resource)
    {
        var project = ProcessTable.ServiceFolders[resource];
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        return Path.Combine(RepoPaths.Root(), project, "bin", configuration, "net10.0", "AspireProber." + project);
    }

    private static string Tail(StringBuilder output)
    {
        lock (output)
        {
            var text = output.ToString();
            return text.Length > 4000 ? text[^4000..] : text;
        }
    }
}
