using System.Diagnostics;

namespace AspireProber.Tests.Shared;

/// <summary>
/// The grpc-js peers of Tests/Interop.Peers (npm ci by .ci/install-peers.sh), started as node processes that the
/// test kills if they are still running when it ends. Linked into the service test projects that run them.
/// </summary>
public static class NodePeers
{
    /// <summary>Tests/Interop.Peers of this repository.</summary>
    public static string Folder { get; } = Path.Combine(RepositoryRoot(), "Tests", "Interop.Peers");

    /// <summary>Fails with what to run when the peers' packages are not installed.</summary>
    public static void AssertInstalled() =>
        Xunit.Assert.True(Directory.Exists(Path.Combine(Folder, "node_modules")), $"{Folder}/node_modules is missing: run .ci/install-peers.sh.");

    /// <summary>Starts <c>node {script} {arguments}</c> in the peers' folder with stdin, stdout and stderr redirected.</summary>
    public static Process Start(string script, params string[] arguments)
    {
        AssertInstalled();
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = Folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        return Process.Start(info)!;
    }

    /// <summary>Runs <c>node {script} {arguments}</c> to its end (at most a minute) and returns its exit code with stdout and stderr.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string script, params string[] arguments)
    {
        using var process = Start(script, arguments);
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            return (process.ExitCode, await stdout + await stderr);
        }
        finally
        {
            KillIfRunning(process);
        }
    }

    /// <summary>Kills the peer and its children if it is still running (a test that failed or timed out).</summary>
    public static void KillIfRunning(Process peer)
    {
        if (!peer.HasExited)
        {
            peer.Kill(entireProcessTree: true);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AspireProber.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("AspireProber.sln not found above " + AppContext.BaseDirectory);
    }
}
