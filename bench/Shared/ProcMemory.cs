using System.Globalization;

namespace AspireProber.Bench;

/// <summary>A process's memory as Linux reports it in /proc, in bytes; null once the process is gone.</summary>
internal static class ProcMemory
{
    /// <summary>The resident set size: VmRSS of /proc/PID/status, every page the process has in memory, shared ones included.</summary>
    public static long? ResidentBytes(int pid) => Bytes($"/proc/{pid}/status", "VmRSS:");

    /// <summary>
    /// The proportional set size: Pss of /proc/PID/smaps_rollup, each shared page split among the processes that map
    /// it, so that a sum over processes is what they take together.
    /// </summary>
    public static long? ProportionalBytes(int pid) => Bytes($"/proc/{pid}/smaps_rollup", "Pss:");

    /// <summary>
    /// The resident anonymous memory: Anonymous of /proc/PID/smaps_rollup, the GC heap, native allocations and thread
    /// stacks, without the mapped runtime and assembly files that make up the rest of VmRSS.
    /// </summary>
    public static long? AnonymousBytes(int pid) => Bytes($"/proc/{pid}/smaps_rollup", "Anonymous:");

    // A line such as "VmRSS:	  123456 kB"; a process that ended has no files left (or no such line as a zombie).
    private static long? Bytes(string file, string field)
    {
        try
        {
            foreach (var line in File.ReadLines(file))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(field.Length).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
                }
            }
            return null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
