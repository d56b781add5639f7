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
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim()) * 1024;
            }
        }
        throw new InvalidOperationException($"no VmRSS in /proc/{Id}/status");
    }

    public static async Task<ServiceProcess> StartAsync(string[] arguments, CancellationToken cancellationToken)
    {
        // This program again (the apphost next to the dll), so the service runs the build being measured.
        var start = new ProcessStartInfo(Environment.ProcessPath!) { WorkingDirectory = AppContext.BaseDirectory };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return new ServiceProcess(await ListeningProcess.StartAsync(start, cancellationToken));
    }

    public ValueTask DisposeAsync() => _service.DisposeAsync();
}
