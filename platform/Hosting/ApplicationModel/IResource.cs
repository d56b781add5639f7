namespace Aspire.Hosting.ApplicationModel;

/// <summary>A part of the distributed application: a project, an executable or a container, described by annotations.</summary>
public interface IResource
{
    /// <summary>The unique name, used in env vars (<c>services__{name}__...</c>), logs and the dashboard.</summary>
    string Name { get; }

    /// <summary>What the resource is configured with; the orchestrator reads these when it starts the resource.</summary>
    ResourceAnnotationCollection Annotations { get; }
}

/// <summary>A resource that listens on endpoints other resources can reference.</summary>
public interface IResourceWithEndpoints : IResource;

/// <summary>A resource whose process gets environment variables.</summary>
public interface IResourceWithEnvironment : IResource;

/// <summary>A resource whose process gets command-line arguments.</summary>
public interface IResourceWithArgs : IResource;

/// <summary>A resource whose start can wait for other resources.</summary>
public interface IResourceWithWaitSupport : IResource;

/// <summary>A resource whose endpoints are published to referencing resources as <c>services__*</c> variables.</summary>
public interface IResourceWithServiceDiscovery : IResourceWithEndpoints;
