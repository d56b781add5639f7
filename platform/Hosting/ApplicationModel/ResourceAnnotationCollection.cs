using System.Collections.ObjectModel;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>The annotations of one resource, in the order they were added (later ones win where order matters).</summary>
public sealed class ResourceAnnotationCollection : Collection<IResourceAnnotation>
{
    /// <summary>
    /// Puts <paramref name="replacement"/> where <paramref name="annotation"/> is, keeping the order: how a publishing
    /// callback swaps a run-time setting (a temp-directory mount, a host-side URL) for its published counterpart.
    /// </summary>
    public void Replace(IResourceAnnotation annotation, IResourceAnnotation replacement)
    {
        var index = IndexOf(annotation);
        if (index < 0)
        {
            throw new DistributedApplicationException($"Cannot replace annotation {annotation}: the resource does not have it (any more).");
        }
        this[index] = replacement;
    }
}
