namespace AspireProber.AppHost.Tests;

/// <summary>
/// What /proc says about the processes an AppHost started: DCP (told to watch the AppHost with <c>--monitor</c>), the
/// dashboard, prometheus and each service's process.
/// </summary>
internal static class ProcessTable
{
    /// <summary>Each service resource's project folder (and the project is AspireProber.{folder}).</summary>
    public static readonly IReadOnlyDictionary<string, string> ServiceFolders = new Dictionary<string, string>
    {
        ["probetarget"] = "ProbeTarget",
        ["prober"] = "ProberService",
        ["stock"] = "StockStreamService",
        ["runner"] = "ProbeRunner",
    };

    // Every process running a service project has its folder in the command line.
    private static readonly string[] s_serviceFolders = [.. ServiceFolders.Values
        .Select(folder => Path.Combine(RepoPaths.Root(), folder) + Path.DirectorySeparatorChar)];

    /// <summary>Every process id in /proc.</summary>
    public static IEnumerable<int> All() => Directory.EnumerateDirectories("/proc")
        .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
        .Where(pid => pid > 0);

    /// <summary>DCP watching <paramref name="appHostPid"/>, and every process running one of the service projects.</summary>
    public static IEnumerable<int> SystemProcesses(int appHostPid) => All().Where(pid => pid != appHostPid
        && (CommandLine(pid)?.Contains($"--monitor {appHostPid}", StringComparison.Ordinal) == true || RunsAService(pid)));

    /// <summary>Whether <paramref name="pid"/> runs one of the service projects.</summary>
    public static bool RunsAService(int pid) => CommandLine(pid) is { } command
        && s_serviceFolders.Any(folder => command.Contains(folder, StringComparison.Ordinal));

    /// <summary><paramref name="pid"/>'s children, their children and so on.</summary>
    public static IEnumerable<int> DescendantsOf(int pid)
    {
        foreach (var child in ChildrenOf(pid))
        {
            yield return child;
            foreach (var descendant in DescendantsOf(child))
            {
                yield return descendant;
            }
        }
    }

    /// <summary>The processes whose parent is <paramref name="pid"/>.</summary>
    public static int[] ChildrenOf(int pid) => [.. All().Where(child => ParentOf(child) == pid)];

    /// <summary>The command line, its arguments joined by spaces; null once the process is gone.</summary>
    public static string? CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The environment the process was started with (empty once it is gone).</summary>
    public static Dictionary<string, string> EnvironmentOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries)
                .Select(entry => entry.Split('=', 2)).Where(pair => pair.Length == 2)
                .GroupBy(pair => pair[0]).ToDictionary(group => group.Key, group => group.Last()[1]);
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>Running and not a zombie waiting for its parent to reap it.</summary>
    public static bool IsAlive(int pid) => StatFields(pid) is [var state, ..] && state != "Z";

    /// <summary>Waits up to <paramref name="limit"/> for every one of <paramref name="pids"/> to end; returns those still alive.</summary>
    public static async Task<string[]> SurvivorsAsync(IReadOnlyCollection<int> pids, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (pids.Any(IsAlive) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }
        return [.. pids.Where(IsAlive).Select(pid => $"{pid}: {CommandLine(pid)}")];
    }

    private static int ParentOf(int pid) =>
        StatFields(pid) is [_, var parent, ..] ? int.Parse(parent, System.Globalization.CultureInfo.InvariantCulture) : 0;

    /// <summary>
    /// The fields of /proc/<paramref name="pid"/>/stat after "pid (comm) " (state, ppid, ...), or none when the
    /// process is gone. comm may hold spaces and parentheses, so the fields start after its last ')'.
    /// </summary>
    private static string[] StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return [];
        }
    }
}
