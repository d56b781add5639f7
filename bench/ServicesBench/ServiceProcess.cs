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

    /// <summary>Resident set size now (see <see cref="ProcMemory.ResidentBytes"/>), in bytes.</summary>
    public long ResidentBytes() => ProcMemory.ResidentBytes(Id) ?? throw Gone();

    /// <summary>The resident anonymous memory now (see <see cref="ProcMemory.AnonymousBytes"/>), in bytes.</summary>
    public long AnonymousBytes() => ProcMemory.AnonymousBytes(Id) ?? throw Gone();

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

    private InvalidOperationException Gone() => new($"process {Id} has no memory figures in /proc: it has ended");
}
