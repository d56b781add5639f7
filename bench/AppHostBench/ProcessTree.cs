namespace AspireProber.AppHostBench;

/// <summary>A process and everything it started, read from /proc: what the whole system weighs.</summary>
internal static class ProcessTree
{
    /// <summary>One process of the tree: its pid, what it runs, and its resident set.</summary>
    public sealed record Member(int Pid, string Name, long ResidentBytes);

    /// <summary><paramref name="root"/> and its live descendants (by parent pid, so also children that lead their own process group).</summary>
    public static IReadOnlyList<Member> Of(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && Stat(pid) is { State: not 'Z' } stat)
            {
                parents[pid] = stat.Parent;
            }
        }
        var tree = new List<int> { root };
        for (var i = 0; i < tree.Count; i++)
        {
            tree.AddRange(parents.Where(p => p.Value == tree[i]).Select(p => p.Key));
        }
        return [.. tree.Select(pid => new Member(pid, NameOf(pid), ResidentBytes(pid))).Where(m => m.ResidentBytes >= 0)];
    }

    private static (char State, int Parent)? Stat(int pid)
    {
        try
        {
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (fields[0][0], int.Parse(fields[1]));
        }
        catch (IOException)
        {
            return null; // Gone meanwhile.
        }
    }

    // "dotnet …/AspireProber.ProberService.dll" reads as the dll; anything else as its program.
    private static string NameOf(int pid)
    {
        try
        {
            var arguments = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
            var dll = arguments.FirstOrDefault(a => a.EndsWith(".dll", StringComparison.Ordinal));
            return Path.GetFileName(dll ?? arguments.FirstOrDefault() ?? "?");
        }
        catch (IOException)
        {
            return "?";
        }
    }

    /// <summary>VmRSS in bytes; -1 once the process is gone.</summary>
    private static long ResidentBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim()) * 1024;
                }
            }
            return 0; // A kernel thread or a process past its exit has no resident set.
        }
        catch (IOException)
        {
            return -1;
        }
    }
}
