namespace Aspire.Hosting.Orchestration;

/// <summary>Finds a program the way a shell would, so a missing one is reported before launch rather than as an exit code.</summary>
internal static class CommandResolver
{
    /// <summary>The full path of <paramref name="command"/> (a path, relative to <paramref name="workingDirectory"/>, or a name on PATH), or null.</summary>
    public static string? Resolve(string command, string workingDirectory)
    {
        if (command.Contains(Path.DirectorySeparatorChar) || command.Contains('/'))
        {
            var path = Path.GetFullPath(command, workingDirectory);
            return IsExecutable(path) ? path : null;
        }
        var searchPath = Environment.GetEnvironmentVariable("PATH") ?? "";
        return searchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, command))
            .FirstOrDefault(IsExecutable);
    }

    private static bool IsExecutable(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }
        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & anyExecute) != 0;
    }
}
