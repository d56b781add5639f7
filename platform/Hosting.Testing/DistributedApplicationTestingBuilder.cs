using System.Reflection;
using System.Runtime.ExceptionServices;

namespace Aspire.Hosting.Testing;

/// <summary>
/// Starts an AppHost's model from a test, as Aspire.Hosting.Testing does: the AppHost's own entry point runs with the
/// test's arguments until it calls Build, and the test gets its builder.
/// </summary>
/// <remarks>
/// <para>The entry-point type is either the <c>Projects.X</c> class generated for a ProjectReference to
/// the AppHost marked <c>IsAppModelProject="true"</c> (the assembly named after that project is loaded; the reference
/// must also copy it, i.e. keep <c>ReferenceOutputAssembly</c>), or any type of the AppHost's assembly.</para>
/// <para>Test defaults, before the caller's arguments (so an argument overrides them):
/// <c>AppHost:BuildProjects=false</c> (the test's reference built the services already; building again takes
/// seconds), <c>AppHost:ProjectConfiguration</c> = the AppHost's configuration, <c>AppHost:Directory</c> = the
/// AppHost's project directory when known. <see cref="IDistributedApplicationTestingBuilder.BuildAsync"/> also clears
/// fixed ports, so every endpoint gets a free one and tests can run side by side.</para>
/// </remarks>
public static class DistributedApplicationTestingBuilder
{
    /// <summary>Runs <typeparamref name="TEntryPoint"/>'s AppHost entry point up to Build, with the test defaults.</summary>
    public static Task<IDistributedApplicationTestingBuilder> CreateAsync<TEntryPoint>(CancellationToken cancellationToken = default) where TEntryPoint : class =>
        CreateAsync(typeof(TEntryPoint), [], cancellationToken);

    /// <summary>
    /// Runs <typeparamref name="TEntryPoint"/>'s AppHost entry point up to Build with <paramref name="args"/> after the
    /// test defaults, e.g. <c>--Grafana:Enabled=false</c> for a setting the entry point itself reads.
    /// </summary>
    public static Task<IDistributedApplicationTestingBuilder> CreateAsync<TEntryPoint>(string[] args, CancellationToken cancellationToken = default) where TEntryPoint : class =>
        CreateAsync(typeof(TEntryPoint), args, cancellationToken);

    /// <summary>Runs the entry point of <paramref name="entryPointType"/>'s AppHost up to Build; see <see cref="CreateAsync{TEntryPoint}(string[], CancellationToken)"/>.</summary>
    public static async Task<IDistributedApplicationTestingBuilder> CreateAsync(Type entryPointType, string[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entryPointType);
        ArgumentNullException.ThrowIfNull(args);
        var (assembly, projectDirectory) = ResolveAppHost(entryPointType);
        var entryPoint = assembly.EntryPoint
            ?? throw new InvalidOperationException($"{assembly.GetName().Name} has no entry point: TEntryPoint must name an AppHost (an executable).");

        List<string> arguments = ["--AppHost:BuildProjects=false"];
        if (assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration is { Length: > 0 } configuration)
        {
            arguments.Add($"--AppHost:ProjectConfiguration={configuration}");
        }
        if (projectDirectory is not null)
        {
            arguments.Add($"--AppHost:Directory={projectDirectory}");
        }
        arguments.AddRange(args);

        // On its own thread: the entry point may block before Build, and the hook must not leak into the caller's flow.
        var builder = await Task.Run(() => RunUntilBuild(entryPoint, [.. arguments]), cancellationToken).ConfigureAwait(false);
        return new TestingBuilder(builder);
    }

    private static DistributedApplicationBuilder RunUntilBuild(MethodInfo entryPoint, string[] args)
    {
        DistributedApplicationBuilder? captured = null;
        BuilderInterception.OnBuilding = builder => captured = builder;
        try
        {
            var result = entryPoint.Invoke(null, entryPoint.GetParameters().Length == 0 ? [] : [args]);
            // An async Main that awaited before Build returns its task here; Build's exception then surfaces from it.
            if (result is Task task)
            {
                task.GetAwaiter().GetResult();
            }
        }
        catch (Exception ex) when (Unwrap(ex) is BuilderInterceptedException && captured is not null)
        {
            return captured;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
        }
        finally
        {
            BuilderInterception.OnBuilding = null;
        }
        throw new InvalidOperationException($"The entry point of {entryPoint.DeclaringType?.Assembly.GetName().Name} returned without building a DistributedApplication.");
    }

    private static Exception Unwrap(Exception ex) => ex is TargetInvocationException { InnerException: { } inner } ? inner : ex;

    private static (Assembly Assembly, string? ProjectDirectory) ResolveAppHost(Type entryPointType)
    {
        if (!typeof(IProjectMetadata).IsAssignableFrom(entryPointType))
        {
            return (entryPointType.Assembly, null);
        }
        var metadata = (IProjectMetadata)(Activator.CreateInstance(entryPointType)
            ?? throw new InvalidOperationException($"{entryPointType} has no public parameterless constructor."));
        var assemblyName = Path.GetFileNameWithoutExtension(metadata.ProjectPath);
        try
        {
            return (Assembly.Load(new AssemblyName(assemblyName)), Path.GetDirectoryName(metadata.ProjectPath));
        }
        catch (FileNotFoundException ex)
        {
            throw new InvalidOperationException(
                $"The AppHost assembly {assemblyName} is not next to the test: reference {metadata.ProjectPath} without ReferenceOutputAssembly=\"false\".", ex);
        }
    }
}
