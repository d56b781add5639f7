namespace Aspire.Hosting.ApplicationModel;

/// <summary>A container image run with the docker CLI, or its executable fallback where no container engine answers.</summary>
public sealed class ContainerResource(string name) : Resource(name),
    IResourceWithEnvironment, IResourceWithArgs, IResourceWithServiceDiscovery, IResourceWithWaitSupport;
