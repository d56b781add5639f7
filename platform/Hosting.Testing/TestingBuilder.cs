using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aspire.Hosting.Testing;

/// <summary>The taken-over builder: everything delegates to it, and Build frees fixed ports first.</summary>
internal sealed class TestingBuilder(DistributedApplicationBuilder inner) : IDistributedApplicationTestingBuilder
{
    public ConfigurationManager Configuration => inner.Configuration;

    public IHostEnvironment Environment => inner.Environment;

    public IServiceCollection Services => inner.Services;

    public string AppHostDirectory => inner.AppHostDirectory;

    public IReadOnlyList<IResource> Resources => inner.Resources;

    public IResourceBuilder<T> AddResource<T>(T resource) where T : IResource => inner.AddResource(resource);

    public DistributedApplication Build()
    {
        // A fixed port (e.g. Grafana's 3000) would collide with a running AppHost or a parallel test. References and
        // URLs follow the allocated port, so it is freed wherever the process is told its port: projects (Kestrel
        // settings), executables given it in an env var, and containers (which keep listening on it inside).
        foreach (var resource in inner.Resources)
        {
            foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>().Where(e => e.Port is not null))
            {
                if (resource is ContainerResource)
                {
                    endpoint.TargetPort ??= endpoint.Port;
                }
                else if (resource is not ProjectResource && endpoint.EnvironmentVariable is null)
                {
                    continue; // An executable listening where it was built to: only that port works.
                }
                endpoint.Port = null;
            }
        }
        return inner.Build();
    }

    public Task<DistributedApplication> BuildAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Build());
    }
}
