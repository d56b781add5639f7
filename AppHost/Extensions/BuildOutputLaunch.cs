using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

/// <summary>
/// Starts each project resource as its built program (<c>bin/…/AspireProber.ProberService</c>) instead of through
/// <c>dotnet run --no-build</c>, which is how Aspire starts projects outside an IDE.
/// </summary>
/// <remarks>
/// Why: under <c>dotnet run</c> DCP's stop (SIGTERM to the process it started, its debug log shows) did not end the
/// service in time; DCP killed it after its stop timeout, so the dashboard's Stop command timed out on a replica and
/// Ctrl+C of the AppHost took ~15 s. Each wrapper also starts the SDK before the service (seconds at start-up) and
/// stays resident (~68 MiB each). Started directly, the service is the process DCP signals, and it stops
/// (bench/README.md, AppHostBench).
/// Aspire offers no public switch for this; a project resource with an <see cref="ExecutableAnnotation"/> is started
/// with that command, keeping everything else Aspire gives a project (endpoints, environment, OTLP, replicas).
/// </remarks>
public static class BuildOutputLaunch
{
    private const string MetadataPrefix = "BuildOutput:";

    /// <summary>
    /// In run mode, starts every project resource of the model from the output its build recorded (see
    /// <c>RecordProjectBuildOutputs</c> in the AppHost project). Left to Aspire: an IDE session, <c>dotnet watch</c>,
    /// and a project whose built program is not there.
    /// </summary>
    public static IDistributedApplicationBuilder StartProjectsFromBuildOutput(this IDistributedApplicationBuilder builder)
    {
        var ideSession = builder.Configuration["DEBUG_SESSION_PORT"] is not null;
        var watching = builder.Configuration.GetValue<bool>("DOTNET_WATCH");
        if (!builder.ExecutionContext.IsRunMode || ideSession || watching)
        {
            return builder;
        }

        var builtAssemblies = typeof(BuildOutputLaunch).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Where(attribute => attribute.Key.StartsWith(MetadataPrefix, StringComparison.Ordinal) && attribute.Value is not null)
            .ToDictionary(attribute => Path.GetFullPath(attribute.Key[MetadataPrefix.Length..]), attribute => attribute.Value!);

        builder.Eventing.Subscribe<BeforeStartEvent>((startEvent, _) =>
        {
            foreach (var project in startEvent.Model.Resources.OfType<ProjectResource>())
            {
                var projectPath = Path.GetFullPath(project.GetProjectMetadata().ProjectPath);
                if (builtAssemblies.TryGetValue(projectPath, out var assembly) && BuiltProgram(assembly) is { } program)
                {
                    // The project's folder stays the working directory, as under `dotnet run`: its content root.
                    project.Annotations.Add(new ExecutableAnnotation
                    {
                        Command = program,
                        WorkingDirectory = Path.GetDirectoryName(projectPath)!,
                    });
                }
            }
            return Task.CompletedTask;
        });
        return builder;
    }

    /// <summary>The native launcher the SDK builds beside an executable project's assembly, if it is there.</summary>
    private static string? BuiltProgram(string assemblyPath)
    {
        var program = Path.ChangeExtension(assemblyPath, OperatingSystem.IsWindows() ? ".exe" : null);
        return File.Exists(program) ? program : null;
    }
}
