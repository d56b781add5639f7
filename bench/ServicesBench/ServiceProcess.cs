using System.Diagnostics;

namespace AspireProber.ServicesBench;

/// <summary>
/// One service run by this program in its own process (<see cref="ServiceHosts"/>), ready once it printed
/// "LISTENING" (started and stopped by <see cref="ListeningProcess"/>); the bench disposes every one also on
/// failure and on Ctrl+C/SIGTERM.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private readonly ListeningProcess _service;

    private ServiceProcess(ListeningProcess service) => _service = service;

    public int Id => _service.Process.Id;

    /// <summary>Resident set size now (VmRSS of /proc/&lt;pid&gt;/status), in bytes.</summary>
    public long ResidentBytes() => Kilobytes($"/proc/{Id}/status", "VmRSS:") * 1024;

    /// <summary>
    /// The resident anonymous memory now (Anonymous of /proc/&lt;pid&gt;/smaps_rollup), in bytes: the GC heap, native
    /// allocations and thread stacks, without the mapped runtime and assembly files that make up the rest of VmRSS.
    /// </summary>
    public long AnonymousBytes() => Kilobytes($"/proc/{Id}/smaps_rollup", "Anonymous:") * 1024;

    public static async Task<ServiceProcess> StartAsync(ServiceCommand command, CancellationToken cancellationToken)
    {
        // This program again, the build being measured, but with the service's runtimeconfig.json instead of the
        // bench's: `dotnet exec` runs the runtime in this process (no launcher in between), so Id is the service's.
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = AppContext.BaseDirectory };
        foreach (var argument in (string[])["exec", "--runtimeconfig", Path.Combine(AppContext.BaseDirectory, command.RuntimeConfig),
            typeof(ServiceProcess).Assembly.Location, .. command.Arguments])
        {
            start.ArgumentList.Add(argument);
        }
        return new ServiceProcess(await ListeningProcess.StartAsync(start, cancellationToken));
    }

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    private long Kilobytes(string file, string field)
    {
        foreach (var line in File.ReadLines(file))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(field.Length).Trim().TrimEnd("kB").Trim());
            }
        }
        throw new InvalidOperationException($"no {field} in {file} (process {Id})");
    }
}
