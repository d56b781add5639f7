namespace AspireProber.AppHost.Tests;

/// <summary>Where the repository is, found from the test's output folder.</summary>
internal static class RepoPaths
{
    /// <summary>The folder that holds AspireProber.sln.</summary>
    public static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AspireProber.sln")))
            {
                return directory.FullName;
            }
        }
        throw new DirectoryNotFoundException($"No AspireProber.sln above {AppContext.BaseDirectory}.");
    }
}
