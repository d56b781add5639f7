using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting.Orchestration;

/// <summary>
/// Makes sure no child outlives the AppHost, even when the AppHost is killed with SIGKILL and runs no cleanup code.
/// </summary>
/// <remarks>
/// A small supervisor (bash, in its own session so Ctrl+C in the terminal does not reach it) reads the AppHost's
/// register/unregister lines on stdin. The kernel closes that pipe when the AppHost dies, however it dies; at EOF the
/// supervisor SIGTERMs every process group (and removes every container) still registered, then SIGKILLs what is left
/// after 3 s. This needs nothing from the children, unlike a parent-pid watch in ServiceDefaults or an stdin-EOF
/// convention, and it covers grandchildren (each child leads its own process group), unlike PR_SET_PDEATHSIG (which
/// .NET cannot set between fork and exec, and which fires when the forking *thread* exits). The pipe's AppHost end is
/// close-on-exec, so children do not inherit it and keep it open.
/// </remarks>
internal sealed class ProcessReaper(ILogger logger) : IDisposable
{
    private const string Script = """
        exec >/dev/null 2>&1
        trap '' INT HUP
        declare -A targets containers
        while read -r op kind id; do
          case "$op $kind" in
            "+ process") targets[$id]=1 ;;
            "- process") unset "targets[$id]" ;;
            "+ container") containers[$id]=1 ;;
            "- container") unset "containers[$id]" ;;
          esac
        done
        for c in "${!containers[@]}"; do docker rm -f "$c" & done
        for t in "${!targets[@]}"; do kill -TERM -- "$t"; done
        for _ in $(seq 30); do
          alive=0
          for t in "${!targets[@]}"; do kill -0 -- "$t" && alive=1; done
          [ $alive = 0 ] && break
          sleep 0.1
        done
        for t in "${!targets[@]}"; do kill -KILL -- "$t"; done
        wait
        """;

    private readonly Lock _gate = new();
    private Process? _supervisor;
    private bool _unavailable;
    private bool _disposed;

    /// <summary>Registers a kill(1) target: <c>-pgid</c> for a process group, or a pid.</summary>
    public void RegisterProcess(string killTarget) => Send($"+ process {killTarget}");

    public void UnregisterProcess(string killTarget) => Send($"- process {killTarget}");

    public void RegisterContainer(string name) => Send($"+ container {name}");

    public void UnregisterContainer(string name) => Send($"- container {name}");

    private void Send(string line)
    {
        lock (_gate)
        {
            if (_disposed || OperatingSystem.IsWindows() || !EnsureStarted())
            {
                return;
            }
            try
            {
                _supervisor!.StandardInput.WriteLine(line);
                _supervisor.StandardInput.Flush();
            }
            catch (IOException ex)
            {
                logger.LogWarning(ex, "The child-process supervisor stopped; children would outlive a killed AppHost");
                _unavailable = true;
            }
        }
    }

    private bool EnsureStarted()
    {
        if (_supervisor is not null || _unavailable)
        {
            return !_unavailable;
        }
        var bash = CommandResolver.Resolve("bash", "/");
        if (bash is null)
        {
            logger.LogWarning("bash was not found, so children of this AppHost are not cleaned up if it is killed");
            _unavailable = true;
            return false;
        }
        var setsid = CommandResolver.Resolve("setsid", "/");
        var startInfo = new ProcessStartInfo(setsid ?? bash)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (setsid is not null)
        {
            startInfo.ArgumentList.Add(bash);
        }
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(Script);
        _supervisor = Process.Start(startInfo)!;
        logger.LogDebug("Child-process supervisor started as pid {Pid}", _supervisor.Id);
        return true;
    }

    /// <summary>Closes the pipe: the supervisor cleans up anything still registered and exits.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _supervisor?.StandardInput.Close();
            _supervisor?.Dispose();
        }
    }
}
