using System.Reflection;

namespace AspireProber.Bench;

/// <summary>
/// The frame of a bench that starts the built AppHost (AppHostBench, HostileBench): its one optional count argument,
/// the AppHost its build built (same configuration, same checkout), a TMPDIR of its own for DCP's state and the
/// Prometheus folder (deleted at the end), and Ctrl+C or SIGTERM turned into cancellation, so that the bench stops
/// every AppHost it started before it exits.
/// </summary>
internal static class AppHostBenchMain
{
    /// <summary>What the bench runs with.</summary>
    /// <param name="Count">The count argument's value (its default when not given).</param>
    /// <param name="RepositoryRoot">The checkout the bench runs from; its service executables are the system's.</param>
    /// <param name="Configuration">The configuration the bench, and so the AppHost and the services, were built in.</param>
    /// <param name="AppHostExecutable">The AppHost's executable, as its build left it.</param>
    /// <param name="TempDirectory">The TMPDIR to start the AppHost with.</param>
    /// <param name="CancellationToken">Cancelled by Ctrl+C or SIGTERM.</param>
    public sealed record Context(int Count, string RepositoryRoot, string Configuration, string AppHostExecutable, string TempDirectory,
        CancellationToken CancellationToken);

    /// <summary>
    /// Runs <paramref name="bench"/> with <c>[option N]</c> parsed from <paramref name="args"/> (N > 0). Returns its
    /// exit code; 2 for other arguments, 1 when the AppHost is not built or the bench failed, 130 when it was stopped.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, string option, int defaultCount, Func<Context, Task<int>> bench)
    {
        var benchAssembly = Assembly.GetEntryAssembly()!;
        var name = benchAssembly.GetName().Name!;
        var count = args switch
        {
            [] => defaultCount,
            [var given, var n] when given == option && int.TryParse(n, out var parsed) && parsed > 0 => parsed,
            _ => -1,
        };
        if (count < 0)
        {
            Console.Error.WriteLine($"usage: dotnet run -c Release --project bench/{name} [{option} N]   (N > 0, default {defaultCount})");
            return 2;
        }
        var configuration = benchAssembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var root = RepositoryRoot.Find();
        var appHostExecutable = AppHostSystem.BuiltExecutable(root, configuration);
        if (!File.Exists(appHostExecutable))
        {
            Console.Error.WriteLine($"{appHostExecutable} is not built: build this bench in {configuration} (it builds the AppHost).");
            return 1;
        }

        using var stopSignals = new StopSignals();
        var temp = Directory.CreateTempSubdirectory($"aspireprober-{name.ToLowerInvariant()}-").FullName;
        try
        {
            return await bench(new Context(count, root, configuration, appHostExecutable, temp, stopSignals.Token));
        }
        catch (Exception) when (stopSignals.Token.IsCancellationRequested)
        {
            // Cancellation surfaces as OperationCanceledException, or as a CANCELLED RpcException from a call in flight.
            Console.Error.WriteLine("stopped; every AppHost this bench started is stopped too");
            return 130;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"{name} failed: {e}");
            return 1;
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>The 1-, 5- and 15-minute load averages: other work on the machine skews every figure.</summary>
    public static string LoadAverage() => string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
