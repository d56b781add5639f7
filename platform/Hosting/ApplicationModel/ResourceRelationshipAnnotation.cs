namespace Aspire.Hosting.ApplicationModel;

/// <summary>A link to another resource (<c>Reference</c>, <c>WaitFor</c>), shown by the dashboard and used for stop order.</summary>
public sealed record ResourceRelationshipAnnotation(IResource Resource, string Type) : IResourceAnnotation;
