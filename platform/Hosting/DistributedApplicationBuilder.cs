using System.Reflection;
using System.Text.RegularExpressions;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Dashboard;
using Aspire.Hosting.Orchestration;
using Aspire.Hosting.Publishing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Aspire.Hosting;

/// <summary>The AppHost's builder: a generic host builder plus the resources of the model.</summary>
public sealed partial class DistributedApplicationBuilder : IDistributedApplicationBuilder
{
    private readonly HostApplicationBuilder _host;
    private readonly List<IResource> _resources = [];
    private readonly string[] _args;

    /// <summary>A builder over <paramref name="options"/>' arguments.</summary>
    public DistributedApplicationBuilder(DistributedApplicationOptions options)
    {
        // Development unless DOTNET_ENVIRONMENT or --environment says otherwise: the AppHost is a developer's tool,
        // and resources inherit its environment (shorter OTLP export delays, developer exception pages).
        _args = options.Args;
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection([new(HostDefaults.EnvironmentKey, Environments.Development)]);
        _host = new HostApplicationBuilder(new HostApplicationBuilderSettings { Args = options.Args, Configuration = configuration });
        AppHostDirectory = Path.GetFullPath(options.AppHostDirectory ?? _host.Configuration["AppHost:Directory"] ?? RecordedProjectDirectory() ?? _host.Environment.ContentRootPath);
        _host.Services.Configure<OrchestratorOptions>(_host.Configuration.GetSection(OrchestratorOptions.SectionName));
        _host.Services.PostConfigure<OrchestratorOptions>(o =>
        {
            o.Directory = AppHostDirectory;
            o.OtlpEndpoint ??= _host.Configuration["DOTNET_DASHBOARD_OTLP_ENDPOINT_URL"];
        });
    }

    /// <inheritdoc />
    public ConfigurationManager Configuration => _host.Configuration;

    /// <inheritdoc />
    public IHostEnvironment Environment => _host.Environment;

    /// <inheritdoc />
    public IServiceCollection Services => _host.Services;

    /// <inheritdoc />
    public string AppHostDirectory { get; }

    /// <inheritdoc />
    public IReadOnlyList<IResource> Resources => _resources;

    /// <inheritdoc />
    public IResourceBuilder<T> AddResource<T>(T resource) where T : IResource
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (resource.Name.Length > 64 || !ResourceNamePattern().IsMatch(resource.Name))
        {
            throw new DistributedApplicationException($"Resource name '{resource.Name}' is invalid: use a letter, then letters, digits or single hyphens, at most 64 characters (it becomes part of env var names and URLs).");
        }
        if (_resources.Any(r => string.Equals(r.Name, resource.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new DistributedApplicationException($"Cannot add resource '{resource.Name}': a resource with that name already exists.");
        }
        _resources.Add(resource);
        return new ResourceBuilder<T>(this, resource);
    }

    /// <inheritdoc />
    public DistributedApplication Build()
    {
        if (BuilderInterception.OnBuilding is { } intercept)
        {
            // A test started this entry point: it adjusts the model, then builds it itself (the hook is gone by then).
            intercept(this);
            throw new BuilderInterceptedException();
        }
        var publishing = PublishingOptions.Parse(_args, Configuration);
        // The dashboard is implicit, as in Aspire: no line of Program.cs adds it.
        DashboardResourceBuilder.AddDashboardIfEnabled(this, ApplicationOrchestrator.DotnetHost(), publishing is not null);
        DependencyOrder.ThrowOnWaitCycle(_resources);
        var model = new DistributedApplicationModel([.. _resources]);
        _host.Services.AddSingleton(model);
        _host.Services.AddSingleton<ResourceNotificationService>();
        _host.Services.AddSingleton(sp => new ResourceLoggerService(sp.GetRequiredService<IOptions<OrchestratorOptions>>().Value.LogLinesPerReplica));
        _host.Services.AddSingleton<ApplicationOrchestrator>();
        _host.Services.AddSingleton(sp => new ResourceCommandService(sp.GetRequiredService<ApplicationOrchestrator>()));
        _host.Services.AddSingleton<ResourceServiceHost>();
        if (publishing is null)
        {
            // In this order: the orchestrator passes the resource service's address to the dashboard it starts.
            _host.Services.AddHostedService(sp => sp.GetRequiredService<ResourceServiceHost>());
            _host.Services.AddHostedService(sp => sp.GetRequiredService<ApplicationOrchestrator>());
        }
        return new DistributedApplication(_host.Build(), publishing);
    }

    /// <summary>The project directory AppHostProjects.targets records in the AppHost assembly (<c>apphostprojectpath</c>), if it still exists.</summary>
    private static string? RecordedProjectDirectory() =>
        Assembly.GetEntryAssembly()?.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "apphostprojectpath")?.Value is { } path && Directory.Exists(path)
            ? path
            : null;

    [GeneratedRegex("^[a-zA-Z](-?[a-zA-Z0-9])*$")]
    private static partial Regex ResourceNamePattern();
}
