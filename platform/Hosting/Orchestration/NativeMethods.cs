using System.Runtime.InteropServices;

namespace Aspire.Hosting.Orchestration;

/// <summary>kill(2): .NET can only SIGKILL a process, and a graceful stop needs SIGTERM (to a whole process group).</summary>
internal static class NativeMethods
{
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    /// <summary>Signals a process (<paramref name="pid"/> &gt; 0) or a process group (<paramref name="pid"/> &lt; 0); false when none exists.</summary>
    public static bool Signal(int pid, int signal) => kill(pid, signal) == 0;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
