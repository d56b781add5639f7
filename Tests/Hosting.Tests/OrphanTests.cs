using System.Diagnostics;
using AspireProber.Hosting.Tests.Infrastructure;

namespace AspireProber.Hosting.Tests;

/// <summary>No child survives the AppHost, even a SIGKILL of it, grandchildren included.</summary>
public sealed class OrphanTests
{
    [Fact]
    public async Task Killing_the_AppHost_with_SIGKILL_leaves_no_child_or_grandchild_running()
    {
        var startInfo = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[TestApps.TestAppHostDll, $"--echo-project={TestApps.EchoProject}", .. TestApps.CommonArgs])
        {
            startInfo.ArgumentList.Add(arg);
        }
        using var host = Process.Start(startInfo)!;
        int[] groups;
        int[] before;
        try
        {
            groups = await ReadChildPidsAsync(host.StandardOutput).WaitAsync(AppExtensions.Timeout);
            before = ProcessesIn(groups);
        }
        finally
        {
            host.Kill();
        }
        await host.WaitForExitAsync();

        // Each child leads its own process group (setsid), so the group ids are the children's pids; the bash child
        // adds a grandchild (sleep) to its group.
        Assert.Equal(4, groups.Length);
        Assert.Subset(before.ToHashSet(), groups.ToHashSet());
        Assert.Equal(5, before.Length);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(8);
        while (ProcessesIn(groups).Length > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        Assert.Empty(ProcessesIn(groups));
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
