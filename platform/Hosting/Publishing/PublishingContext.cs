namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// What a <see cref="PublishingCallbackAnnotation"/> sees. Endpoints are allocated as the published system sees them by
/// then: <c>resource.GetAllocatedEndpoint("http", i).Url</c> is e.g. <c>http://prober-1:8081</c> (service DNS name,
/// container port), so a generated configuration (scrape targets) works inside Docker Compose unchanged.
/// </summary>
public sealed class PublishingContext(DistributedApplicationModel model, string outputPath, CancellationToken cancellationToken)
{
    /// <summary>The application model.</summary>
    public DistributedApplicationModel Model { get; } = model;

    /// <summary>The directory the compose file is written to (full path, exists).</summary>
    public string OutputPath { get; } = outputPath;

    /// <summary>Cancelled when publishing is abandoned.</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>The directory for <paramref name="resource"/>'s files in the output, <c>{OutputPath}/{name}</c>; created if missing.</summary>
    public string ResourceDirectory(IResource resource) => Directory.CreateDirectory(Path.Combine(OutputPath, resource.Name)).FullName;

    /// <summary>
    /// Copies the file or directory <paramref name="mount"/> binds into <see cref="ResourceDirectory"/> (replacing an
    /// earlier copy, so nothing stale stays) and mounts the copy instead, so the output directory runs on its own,
    /// anywhere. A mount already inside the output directory stays as it is.
    /// </summary>
    public void CopyMountIntoOutput(IResource resource, ContainerMountAnnotation mount)
    {
        if (RelativeToOutput(mount.Source, OutputPath) is not null)
        {
            return;
        }
        var copy = Path.Combine(ResourceDirectory(resource), Path.GetFileName(Path.TrimEndingDirectorySeparator(mount.Source)));
        if (Directory.Exists(mount.Source))
        {
            if (Directory.Exists(copy))
            {
                Directory.Delete(copy, recursive: true);
            }
            CopyDirectory(mount.Source, copy);
        }
        else if (File.Exists(mount.Source))
        {
            File.Copy(mount.Source, copy, overwrite: true);
        }
        else
        {
            throw new DistributedApplicationException($"Cannot publish mount '{mount.Source}' of '{resource.Name}': it does not exist.");
        }
        resource.Annotations.Replace(mount, mount with { Source = copy });
    }

    /// <summary><paramref name="path"/> relative to <paramref name="outputPath"/> when it lies inside it, else null.</summary>
    internal static string? RelativeToOutput(string path, string outputPath)
    {
        var relative = Path.GetRelativePath(outputPath, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? null : relative;
    }

    private static void CopyDirectory(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }
        foreach (var directory in Directory.EnumerateDirectories(source))
        {
            CopyDirectory(directory, Path.Combine(destination, Path.GetFileName(directory)));
        }
    }
}
