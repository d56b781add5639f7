using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

/// <summary>
/// Whether a container engine runs on this machine, asked the way Aspire's own CLI choice is made. Aspire's start waits
/// for every container it is given to be created; without an engine that wait does not end, so the AppHost adds a
/// container to the local run only when the engine answers.
/// </summary>
public static class ContainerEngine
{
    /// <summary>How long <see cref="Answers(string, TimeSpan)"/> waits for the engine's <c>info</c>.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The container CLI Aspire itself uses: <c>ASPIRE_CONTAINER_RUNTIME</c> (or the older
    /// <c>DOTNET_ASPIRE_CONTAINER_RUNTIME</c>), docker by default.
    /// </summary>
    public static string Cli(IConfiguration configuration) =>
        configuration["ASPIRE_CONTAINER_RUNTIME"] ?? configuration["DOTNET_ASPIRE_CONTAINER_RUNTIME"] ?? "docker";

    // One answer per CLI for the AppHost's process: Prometheus' auto runtime and Grafana both ask, and an engine that
    // hangs would otherwise cost its timeout twice at every start.
    private static readonly ConcurrentDictionary<string, Lazy<bool>> s_answers = new(StringComparer.Ordinal);

    /// <summary>Whether the engine of <see cref="Cli"/> answers within <see cref="Timeout"/>; asked once per CLI and process.</summary>
    public static bool Answers(IConfiguration configuration) =>
        s_answers.GetOrAdd(Cli(configuration), cli => new Lazy<bool>(() => Answers(cli, Timeout))).Value;

    /// <summary>
    /// Whether <c>{cli} info</c> succeeds within <paramref name="timeout"/>: docker's and podman's CLI exit non-zero
    /// when their engine does not answer (docker's CLI is often installed without a running daemon).
    /// </summary>
    public static bool Answers(string cli, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(cli, "info") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        try
        {
            using var info = Process.Start(start)!;
            // Read to the end so a chatty `info` never blocks on a full pipe; the output itself is not needed.
            _ = info.StandardOutput.ReadToEndAsync();
            _ = info.StandardError.ReadToEndAsync();
            if (!info.WaitForExit(timeout))
            {
                info.Kill(entireProcessTree: true);
                info.WaitForExit(TimeSpan.FromSeconds(1));   // reaped, not left behind as a zombie
                return false;
            }
            return info.ExitCode == 0;
        }
        catch (Win32Exception)
        {
            return false;   // no such CLI
        }
    }
}
