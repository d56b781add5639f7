using System.Reflection;

namespace AspireProber.GrpcBench;

/// <summary>Where the bench finds what it builds or runs, from the repository root recorded at build time.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = Metadata("RepositoryRoot");

    /// <summary>bench/GrpcDotnetInteropServer's output in the configuration the bench was built in (its ProjectReference built it).</summary>
    public static string GrpcDotnetInteropServerDll { get; } = Path.Combine(Root, "bench", "GrpcDotnetInteropServer", "bin", Metadata("Configuration"),
        "net10.0", "GrpcDotnetInteropServer.dll");

    public static string GoSource(string program) => Path.Combine(Root, "bench", program);

    private static string Metadata(string key) =>
        typeof(RepositoryPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"Assembly metadata '{key}' is empty.");
}
