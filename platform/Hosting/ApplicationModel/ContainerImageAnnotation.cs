namespace Aspire.Hosting.ApplicationModel;

/// <summary>The image a container resource runs.</summary>
public sealed record ContainerImageAnnotation(string Image, string Tag = "latest") : IResourceAnnotation
{
    /// <summary><c>image:tag</c>, as the docker CLI takes it.</summary>
    public string Reference => $"{Image}:{Tag}";
}
