// Aspire 13.6 marks its pipeline API (steps, the output path) experimental.
#pragma warning disable ASPIREPIPELINES001, ASPIREPIPELINES004

using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AspireProber.AppHost.Publishing;

/// <summary>
/// The publish step: the app model as docker-compose.yaml, its .env (the project images), prometheus.yml and copies
/// of the containers' bind-mounted folders (grafana/), all in the output path. Projects become images built by the
/// .NET SDK (<c>dotnet publish -t:PublishContainer</c>, as Aspire's own compose publisher expects), one service per
/// replica; telemetry goes to an Aspire dashboard container, as in Aspire's compose publisher.
/// </summary>
internal static class ComposePublisher
{
    /// <summary>The compose file's name.</summary>
    public const string ComposeFileName = "docker-compose.yaml";

    /// <summary>The service that receives every project's OTLP telemetry and shows it.</summary>
    public const string DashboardService = "aspire-dashboard";

    private const string DashboardImage = "mcr.microsoft.com/dotnet/aspire-dashboard";
    private const int DashboardPort = 18888;
    private const int DashboardOtlpGrpcPort = 18889;

    /// <summary>Writes the files for <paramref name="context"/>'s model into the output path.</summary>
    public static async Task PublishAsync(PipelineStepContext context)
    {
        var output = context.Services.GetRequiredService<IPipelineOutputService>().GetOutputDirectory();
        Directory.CreateDirectory(output);
        var compose = new ComposeFile();
        var images = new StringBuilder("""
            # The project images docker-compose.yaml runs. Build each with the .NET SDK (no Dockerfile needed), from this
            # folder, with the command above it; or point the variable at an image in a registry.

            """);

        compose.Services[DashboardService] = Dashboard();
        foreach (var resource in context.Model.Resources)
        {
            switch (resource)
            {
                case ProjectResource project:
                    var variable = $"{project.Name.ToUpperInvariant().Replace('-', '_')}_IMAGE";
                    var projectPath = Path.GetRelativePath(output, Path.GetDirectoryName(project.GetProjectMetadata().ProjectPath)!);
                    images.AppendLine($"# dotnet publish {projectPath} -c Release -t:PublishContainer -p:ContainerRepository={project.Name}");
                    images.AppendLine($"{variable}={project.Name}:latest");
                    await AddServicesAsync(compose, context, project, $"${{{variable}}}");
                    break;
                case ContainerResource container:
                    await AddServicesAsync(compose, context, container, container.TryGetContainerImageName(out var image) ? image
                        : throw new InvalidOperationException($"Container '{container.Name}' has no image."));
                    AddMounts(compose.Services[container.Name], container, context.Model, output);
                    break;
                case ExecutableResource executable:
                    throw new NotSupportedException($"Executable '{executable.Name}' has no compose form: publish it as a container.");
            }
        }

        var composePath = Path.Combine(output, ComposeFileName);
        await File.WriteAllTextAsync(composePath, compose.ToYaml("""
            # Generated from the AppHost's model: dotnet run --project AppHost -- --operation publish --step publish --output-path <dir>
            # Build the project images named in .env (the commands are there), then: docker compose up
            # Grafana: http://127.0.0.1:3000, Prometheus: http://127.0.0.1:9090, the Aspire dashboard: http://127.0.0.1:18888
            # (its login token is in: docker compose logs aspire-dashboard).

            """), context.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(output, ".env"), images.ToString(), context.CancellationToken);
        context.Summary.Add("Docker Compose", composePath);
    }

    /// <summary>
    /// The Aspire dashboard, as Aspire's compose publisher adds it: its pages on the host's loopback, its OTLP gRPC
    /// endpoint for the other services.
    /// </summary>
    private static ComposeService Dashboard() => new()
    {
        Image = DashboardImage,
        Ports = { $"127.0.0.1:{DashboardPort}:{DashboardPort}" },
        Expose = { $"{DashboardOtlpGrpcPort}" },
    };

    /// <summary>Adds <paramref name="resource"/>'s services (one per replica) running <paramref name="image"/>.</summary>
    private static async Task AddServicesAsync(ComposeFile compose, PipelineStepContext context, IResourceWithEnvironment resource, string image)
    {
        if (resource.TryGetAnnotationsOfType<CommandLineArgsCallbackAnnotation>(out _))
        {
            throw new NotSupportedException($"'{resource.Name}' has arguments: the compose publisher writes none.");
        }
        var environment = await ComposeAddresses.EnvironmentAsync(await EnvironmentValuesAsync(context, resource),
            skipped: name => context.Logger.LogWarning("{Resource}: {Variable} is one address of a replicated resource, which has no compose form; left out (the services__ entries list every replica).", resource.Name, name),
            context.CancellationToken);

        foreach (var service in ComposeAddresses.ServicesOf(resource))
        {
            var composeService = new ComposeService { Image = image };
            foreach (var (name, value) in environment)
            {
                // Compose reads $ as the start of a variable.
                composeService.Environment[name] = value.Replace("$", "$$");
            }
            if (resource.TryGetLastAnnotation<OtlpExporterAnnotation>(out _))
            {
                composeService.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://{DashboardService}:{DashboardOtlpGrpcPort}";
                composeService.Environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc";
                composeService.Environment["OTEL_SERVICE_NAME"] = resource.Name;
                composeService.Environment["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={service}";
                composeService.DependsOn[DashboardService] = new();
            }
            foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>().Where(e => e.UriScheme != "https"))
            {
                var port = ComposeAddresses.TargetPortOf(resource, endpoint.Name);
                // Containers (Grafana, Prometheus) are what people open; the projects talk to each other inside.
                if (resource is ContainerResource)
                {
                    composeService.Ports.Add($"127.0.0.1:{port}:{port}");
                }
                else
                {
                    composeService.Expose.Add($"{port}");
                }
            }
            if (resource.TryGetAnnotationsOfType<WaitAnnotation>(out var waits))
            {
                foreach (var dependency in waits.SelectMany(wait => ComposeAddresses.ServicesOf(wait.Resource)))
                {
                    composeService.DependsOn[dependency] = new();
                }
            }
            compose.Services[service] = composeService;
        }
    }

    /// <summary>The environment the model gives <paramref name="resource"/> in publish mode, before resolution.</summary>
    private static async Task<Dictionary<string, object>> EnvironmentValuesAsync(PipelineStepContext context, IResource resource)
    {
        var values = new Dictionary<string, object>();
        if (resource.TryGetAnnotationsOfType<EnvironmentCallbackAnnotation>(out var callbacks))
        {
            var callbackContext = new EnvironmentCallbackContext(context.ExecutionContext, resource, values, context.CancellationToken);
            foreach (var callback in callbacks)
            {
                await callback.Callback(callbackContext);
            }
        }
        return values;
    }

    /// <summary>
    /// Bind mounts become copies under the output path (<c>./grafana/provisioning</c>), so the folder runs on any
    /// machine; Prometheus' configuration is generated there from the model.
    /// </summary>
    private static void AddMounts(ComposeService service, ContainerResource container, DistributedApplicationModel model, string output)
    {
        if (container.TryGetContainerMounts(out var mounts))
        {
            foreach (var mount in mounts)
            {
                if (mount.Type != ContainerMountType.BindMount || mount.Source is null)
                {
                    throw new NotSupportedException($"'{container.Name}' mounts a volume: the compose publisher copies bind mounts only.");
                }
                var copy = Path.Combine(container.Name, Path.GetFileName(mount.Source));
                CopyDirectory(mount.Source, Path.Combine(output, copy));
                service.Volumes.Add($"./{copy}:{mount.Target}{(mount.IsReadOnly ? ":ro" : "")}");
            }
        }
        if (container.TryGetLastAnnotation<PrometheusConfigAnnotation>(out var prometheus))
        {
            File.WriteAllText(Path.Combine(output, PrometheusConfig.FileName), PrometheusConfig.Create(model));
            service.Volumes.Add($"./{PrometheusConfig.FileName}:{prometheus.Target}:ro");
        }
    }

    // A fresh copy each publish, so files deleted from the source do not linger in the output.
    private static void CopyDirectory(string source, string target)
    {
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
    }
}
