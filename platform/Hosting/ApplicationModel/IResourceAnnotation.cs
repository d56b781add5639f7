namespace Aspire.Hosting.ApplicationModel;

/// <summary>Marker of everything that can be attached to a resource.</summary>
public interface IResourceAnnotation;
