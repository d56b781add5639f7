namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// Runs when the AppHost publishes (<c>publish --output &lt;dir&gt;</c>), before the compose file is written: a resource
/// writes the files it needs next to it (e.g. Prometheus its generated scrape configuration) or copies them there
/// (<see cref="PublishingContext.CopyMountIntoOutput"/>), and swaps run-time annotations for published ones
/// (<see cref="ResourceAnnotationCollection.Replace"/>); mounts under the output directory are written as relative paths.
/// </summary>
public sealed class PublishingCallbackAnnotation(Func<PublishingContext, Task> callback) : IResourceAnnotation
{
    /// <summary>The callback.</summary>
    public Func<PublishingContext, Task> Callback { get; } = callback;
}
