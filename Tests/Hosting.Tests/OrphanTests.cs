using System.Diagnostics;
using Aspire.Hosting.Orchestration;
using AspireProber.Hosting.Tests.Infrastructure;

namespace AspireProber.Hosting.Tests;

/// <summary>No child survives the AppHost: a SIGTERM stops them all, and so does a SIGKILL (grandchildren included).</summary>
public sealed class OrphanTests
{
    [Fact]
    public async Task Killing_the_AppHost_with_SIGKILL_leaves_no_child_or_grandchild_running()
    {
        var (host, groups) = await StartAppHostAsync();
        using (host)
        {
            // The bash child starts its grandchild (sleep) a moment after the AppHost reports the children: wait for all five.
            var before = await WaitForProcessCountAsync(groups, expected: 5, TimeSpan.FromSeconds(10));
            host.Kill();
            await host.WaitForExitAsync();

            // Each child leads its own process group (setsid), so the group ids are the children's pids; the bash child
            // adds a grandchild (sleep) to its group.
            Assert.Subset(before.ToHashSet(), groups.ToHashSet());
            Assert.Equal(5, before.Length);
            await WaitUntilGoneAsync(groups, TimeSpan.FromSeconds(8));
            Assert.Empty(ProcessesIn(groups));
        }
    }

    [Fact]
    public async Task SIGTERM_to_the_AppHost_stops_every_child_and_the_AppHost_exits()
    {
        var (host, groups) = await StartAppHostAsync();
        using (host)
        {
            NativeMethods.Signal(host.Id, NativeMethods.SIGTERM);
            await host.WaitForExitAsync().WaitAsync(AppExtensions.Timeout);

            Assert.Equal(0, host.ExitCode);
            Assert.Empty(ProcessesIn(groups));
        }
    }

    /// <summary>Starts Tests/Hosting.Tests.Apps/TestAppHost and returns it with its children's pids (killed if that fails).</summary>
    private static async Task<(Process Host, int[] Groups)> StartAppHostAsync()
    {
        // stdin stays open with us: if this test process dies, the AppHost sees EOF and stops.
        var startInfo = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in (string[])[TestApps.TestAppHostDll, $"--echo-project={TestApps.EchoProject}", .. TestApps.CommonArgs])
        {
            startInfo.ArgumentList.Add(arg);
        }
        var host = Process.Start(startInfo)!;
        try
        {
            var groups = await ReadChildPidsAsync(host.StandardOutput).WaitAsync(AppExtensions.Timeout);
            Assert.Equal(4, groups.Length);
            return (host, groups);
        }
        catch
        {
            host.Kill();
            host.Dispose();
            throw;
        }
    }

    private static async Task<int[]> ReadChildPidsAsync(StreamReader output)
    {
        while (await output.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("PIDS ", StringComparison.Ordinal))
            {
                return [.. line[5..].Split(' ').Select(int.Parse)];
            }
        }
        throw new InvalidOperationException("The AppHost exited before printing its children's pids.");
    }

    private static async Task<int[]> WaitForProcessCountAsync(int[] groups, int expected, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        var processes = ProcessesIn(groups);
        while (processes.Length < expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            processes = ProcessesIn(groups);
        }
        return processes;
    }

    private static async Task WaitUntilGoneAsync(int[] groups, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (ProcessesIn(groups).Length > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
    }

    /// <summary>Live (non-zombie) processes whose process group is one of <paramref name="groups"/>.</summary>
    private static int[] ProcessesIn(int[] groups) =>
    [
        .. Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0)
            .Where(pid =>
            {
                try
                {
                    // /proc/<pid>/stat: "pid (comm) state ppid pgrp ..."; comm may hold spaces, so split after ')'.
                    var stat = File.ReadAllText($"/proc/{pid}/stat");
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    return fields[0] != "Z" && groups.Contains(int.Parse(fields[2]));
                }
                catch (IOException)
                {
                    return false;
                }
            }),
    ];
}
