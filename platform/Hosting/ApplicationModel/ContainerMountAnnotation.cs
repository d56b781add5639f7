namespace Aspire.Hosting.ApplicationModel;

/// <summary>A host directory or file bind-mounted into a container.</summary>
public sealed record ContainerMountAnnotation(string Source, string Target, bool IsReadOnly) : IResourceAnnotation;
