namespace Aspire.Hosting.ApplicationModel;

/// <summary>The resource starts only once every replica of <see cref="Resource"/> is running and healthy.</summary>
public sealed class WaitAnnotation(IResource resource) : IResourceAnnotation
{
    /// <summary>The resource waited for.</summary>
    public IResource Resource { get; } = resource;
}
