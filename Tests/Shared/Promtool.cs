using System.Diagnostics;

namespace AspireProber.Tests.Shared;

/// <summary>
/// Debian's <c>promtool check metrics</c> (package prometheus, installed by .ci/install-peers.sh): Prometheus' own parser
/// and lint of the exposition format. Linked into the test projects that check a /metrics output with it.
/// </summary>
public static class Promtool
{
    /// <summary>Where Debian installs it.</summary>
    public const string Path = "/usr/bin/promtool";

    /// <summary>Fails with what to run when promtool is not installed.</summary>
    public static void AssertInstalled() =>
        Xunit.Assert.True(File.Exists(Path), $"{Path} is missing: run .ci/install-peers.sh (Debian package 'prometheus').");

    /// <summary>
    /// Pipes <paramref name="exposition"/> through <c>promtool check metrics</c> and returns its exit code (0 clean, 3 lint
    /// problems, 1 unparsable) with what it printed.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(string exposition)
    {
        AssertInstalled();
        using var process = Process.Start(new ProcessStartInfo(Path, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.StandardInput.WriteAsync(exposition);
            process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, (await stdout + await stderr).Trim());
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }
}
