namespace Aspire.Hosting.ApplicationModel;

/// <summary>The resources of the application, in the order the AppHost added them.</summary>
public sealed class DistributedApplicationModel(IReadOnlyList<IResource> resources)
{
    /// <summary>Every resource.</summary>
    public IReadOnlyList<IResource> Resources { get; } = resources;

    /// <summary>The dashboard the AppHost added (the resource with a <see cref="DashboardAnnotation"/>), if any.</summary>
    internal IResource? Dashboard => Resources.FirstOrDefault(r => r.Annotations.OfType<DashboardAnnotation>().Any());

    /// <summary>The resource called <paramref name="name"/> (case-insensitive), or an exception naming the known ones.</summary>
    public IResource GetResource(string name) =>
        Resources.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new DistributedApplicationException($"No resource is named '{name}'; the model has: {string.Join(", ", Resources.Select(r => r.Name))}.");
}
