namespace AspireProber.Bench;

/// <summary>The repository (or worktree) a bench runs from: the first folder above its output with AspireProber.sln.</summary>
internal static class RepositoryRoot
{
    /// <summary>The folder's full path.</summary>
    public static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AspireProber.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("AspireProber.sln not found above " + AppContext.BaseDirectory);
    }
}
