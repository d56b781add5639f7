using System.Collections.ObjectModel;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>The annotations of one resource, in the order they were added (later ones win where order matters).</summary>
public sealed class ResourceAnnotationCollection : Collection<IResourceAnnotation>;
