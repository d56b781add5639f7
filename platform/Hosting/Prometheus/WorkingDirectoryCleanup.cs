using Microsoft.Extensions.Hosting;

namespace Aspire.Hosting.Prometheus;

/// <summary>
/// Deletes a resource's per-run directory when the AppHost stops. Registered before the orchestrator, so the host
/// stops it after the orchestrator has stopped the process using the directory; disposing covers hosts never stopped.
/// </summary>
internal sealed class WorkingDirectoryCleanup(string directory) : IHostedService, IDisposable
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Files a container wrote as root may not be ours to delete; the directory is in the temp folder.
        }
    }
}
