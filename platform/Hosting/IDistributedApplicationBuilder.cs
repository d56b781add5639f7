using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aspire.Hosting;

/// <summary>Collects the resources of a distributed application, then builds it.</summary>
public interface IDistributedApplicationBuilder
{
    /// <summary>The AppHost's configuration: appsettings, env vars, command line.</summary>
    ConfigurationManager Configuration { get; }

    /// <summary>The AppHost's environment (Development unless DOTNET_ENVIRONMENT says otherwise); resources get the same.</summary>
    IHostEnvironment Environment { get; }

    /// <summary>The AppHost's services.</summary>
    IServiceCollection Services { get; }

    /// <summary>The directory relative project, working-directory and bind-mount paths are resolved against.</summary>
    string AppHostDirectory { get; }

    /// <summary>The resources added so far.</summary>
    IReadOnlyList<IResource> Resources { get; }

    /// <summary>Adds a resource; its name must be unique (case-insensitive) and DNS-like.</summary>
    IResourceBuilder<T> AddResource<T>(T resource) where T : IResource;

    /// <summary>Validates the model and builds the application.</summary>
    DistributedApplication Build();
}
