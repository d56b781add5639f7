using System.Globalization;

namespace AspireProber.Bench;

/// <summary>
/// One process of the running system, read from /proc: what it is, its memory (PSS), and for a service replica the
/// http and grpc addresses DCP gave it. The system is the AppHost, DCP (found by <c>--monitor {AppHost pid}</c>; it
/// detaches from the AppHost) and everything under them: its controllers and process monitors, the dashboard,
/// prometheus, and per replica the service executable (or <c>dotnet run</c> with the one it starts).
/// </summary>
/// <remarks>
/// <see cref="ProportionalBytes"/> is PSS, not VmRSS: DCP's eight or so processes all map the same ~60 MiB binary, and
/// the .NET processes the same runtime, which VmRSS would count once per process. Pss splits each shared page among
/// its users, so the sum is what the system takes.
/// </remarks>
internal sealed record SystemProcess(int Pid, string Kind, long ProportionalBytes, Uri? HttpAddress, Uri? GrpcAddress)
{
    /// <summary>The processes of the system the AppHost <paramref name="appHostPid"/> started, the AppHost included.</summary>
    public static IReadOnlyList<SystemProcess> Of(int appHostPid, string repositoryRoot)
    {
        var parents = new Dictionary<int, int>();
        var commands = new Dictionary<int, string[]>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && ParentIfLive(pid) is { } parent && Arguments(pid) is { Length: > 0 } arguments)
            {
                parents[pid] = parent;
                commands[pid] = arguments;
            }
        }
        // The AppHost's descendants (under `dotnet run` the AppHost itself is one), and DCP, which watches whichever
        // of them is the AppHost, with its descendants.
        var members = new List<int> { appHostPid };
        for (var i = 0; i < members.Count; i++)
        {
            var member = members[i];
            members.AddRange(parents.Where(p => p.Value == member && !members.Contains(p.Key)).Select(p => p.Key));
            members.AddRange(commands.Where(c => !members.Contains(c.Key)
                && string.Join(' ', c.Value).Contains($"--monitor {member} ", StringComparison.Ordinal)).Select(c => c.Key));
        }
        return [.. members.Distinct().Where(commands.ContainsKey)
            .Select(pid => (Pid: pid, Bytes: ProcMemory.ProportionalBytes(pid), Environment: EnvironmentOf(pid)))
            .Where(p => p.Bytes is not null)
            .Select(p => new SystemProcess(p.Pid, KindOf(commands[p.Pid], repositoryRoot), p.Bytes!.Value,
                Endpoint(p.Environment, "http"), Endpoint(p.Environment, "grpc")))];
    }

    /// <summary>Whether <paramref name="pid"/> still runs (and is not a zombie waiting to be reaped).</summary>
    public static bool IsAlive(int pid) => ParentIfLive(pid) is not null;

    /// <summary>The command line, its arguments joined by spaces; empty once the process is gone.</summary>
    public static string CommandLine(int pid) => string.Join(' ', Arguments(pid));

    // What a process is, by its command line: "dcp run-controllers", "Aspire.Dashboard", "prometheus",
    // "dotnet run (ProberService)", "ProberService", "AppHost".
    private static string KindOf(string[] arguments, string repositoryRoot)
    {
        var program = Path.GetFileName(arguments[0]);
        if (program == "dcp")
        {
            return arguments.Length > 1 ? $"dcp {arguments[1]}" : "dcp";
        }
        if (program == "dotnet" && arguments is [_, "run", ..])
        {
            var project = arguments.SkipWhile(a => a != "--project").Skip(1).FirstOrDefault() ?? "?";
            return $"dotnet run ({Path.GetFileName(Path.GetDirectoryName(project))})";
        }
        if (program.StartsWith("AspireProber.", StringComparison.Ordinal) && arguments[0].StartsWith(repositoryRoot, StringComparison.Ordinal))
        {
            return program["AspireProber.".Length..];
        }
        // "dotnet AspireProber.AppHost.dll" reads as the dll.
        var dll = arguments.FirstOrDefault(a => a.EndsWith(".dll", StringComparison.Ordinal));
        return dll is not null ? Path.GetFileNameWithoutExtension(dll).Replace("AspireProber.", "", StringComparison.Ordinal) : program;
    }

    // The endpoint DCP assigned the replica (Kestrel__Endpoints__{name}__Url in its environment, as the AppHost's model
    // put it there); null for a process that is not a service.
    private static Uri? Endpoint(string[] environment, string name)
    {
        var prefix = $"Kestrel__Endpoints__{name}__Url=";
        var variable = environment.FirstOrDefault(v => v.StartsWith(prefix, StringComparison.Ordinal));
        return variable is null ? null : new Uri(variable[prefix.Length..]);
    }

    private static string[] EnvironmentOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/environ").Split('\0');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static string[] Arguments(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (IOException)
        {
            return [];
        }
    }

    private static int? ParentIfLive(int pid)
    {
        try
        {
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields[0] == "Z" ? null : int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
