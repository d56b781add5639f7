using Aspire.Hosting.Orchestration;

namespace AspireProber.Hosting.Tests.Infrastructure;

/// <summary>Debian's <c>promtool</c>: the check Prometheus itself applies to a configuration file.</summary>
internal static class Promtool
{
    /// <summary>Fails the test with promtool's complaint and the file's text unless <c>promtool check config</c> accepts <paramref name="file"/>.</summary>
    public static async Task AssertConfigValidAsync(string file)
    {
        var promtool = CommandResolver.Resolve("promtool", Environment.CurrentDirectory)
            ?? throw new InvalidOperationException("promtool is not on PATH: apt-get install prometheus (.ci/install-peers.sh does).");
        var check = await ProcessRunner.RunAsync(promtool, ["check", "config", file], TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.True(check.ExitCode == 0, $"promtool check config failed:\n{check.StandardOutput}{check.StandardError}\n{await File.ReadAllTextAsync(file)}");
    }
}
