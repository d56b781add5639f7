using System.Text.Json;
using System.Xml.Linq;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting.Orchestration;

/// <summary>
/// Finds the built output (TargetPath) of every project resource, building them first when asked: one MSBuild
/// invocation for all projects (a generated traversal project), restoring only when a project was never restored, so
/// an already-built model costs about a second and a half.
/// </summary>
internal sealed class ProjectBuilder(string dotnet, OrchestratorOptions options, ILogger logger)
{
    /// <summary>TargetPath per project path, or the reason there is none.</summary>
    public sealed record Output(string? TargetPath, string? Error);

    public async Task<IReadOnlyDictionary<string, Output>> ResolveAsync(IReadOnlyCollection<ProjectResource> projects, CancellationToken cancellationToken)
    {
        var paths = projects.Select(p => p.ProjectPath).Distinct().ToArray();
        if (paths.Length == 0)
        {
            return new Dictionary<string, Output>();
        }
        return options.BuildProjects
            ? await BuildAsync(paths, cancellationToken).ConfigureAwait(false)
            : await LocateAsync(paths, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyDictionary<string, Output>> BuildAsync(string[] paths, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("aspireprober-build-");
        try
        {
            var traversal = Path.Combine(directory.FullName, "projects.proj");
            await File.WriteAllTextAsync(traversal, TraversalProject(paths), cancellationToken).ConfigureAwait(false);
            var restore = paths.Any(p => !File.Exists(Path.Combine(Path.GetDirectoryName(p)!, "obj", "project.assets.json")));
            List<string> args = ["msbuild", traversal, "-nologo", "-nodeReuse:false", "-m", "-t:Build", "-getTargetResult:Build", $"-p:Configuration={options.ProjectConfiguration}"];
            if (restore)
            {
                args.Add("-restore");
            }
            logger.LogInformation("Building {Count} project(s) ({Configuration})", paths.Length, options.ProjectConfiguration);
            var started = Environment.TickCount64;
            var result = await ProcessRunner.RunAsync(dotnet, args, options.BuildTimeout, cancellationToken).ConfigureAwait(false);
            var outputs = ParseTargetResult(result.StandardOutput);
            var failure = result.TimedOut ? $"the build did not finish within {options.BuildTimeout.TotalSeconds:0} s" : BuildErrors(result);
            logger.LogInformation("Build finished in {Elapsed} ms (exit code {ExitCode})", Environment.TickCount64 - started, result.ExitCode);
            return paths.ToDictionary(p => p, p => outputs.TryGetValue(p, out var target) && result.ExitCode == 0
                ? new Output(target, null)
                : new Output(null, $"Build failed: {failure}"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static string TraversalProject(IEnumerable<string> paths) =>
        new XElement("Project",
            new XElement("ItemGroup", paths.Select(p => new XElement("ServiceProject", new XAttribute("Include", p)))),
            // Sequential: parallel restores of projects sharing references race on the shared obj/ files.
            new XElement("Target", new XAttribute("Name", "Restore"),
                new XElement("MSBuild", new XAttribute("Projects", "@(ServiceProject)"), new XAttribute("Targets", "Restore"))),
            new XElement("Target", new XAttribute("Name", "Build"), new XAttribute("Returns", "@(BuiltOutput)"),
                new XElement("MSBuild", new XAttribute("Projects", "@(ServiceProject)"), new XAttribute("Targets", "Build"), new XAttribute("BuildInParallel", "true"),
                    new XElement("Output", new XAttribute("TaskParameter", "TargetOutputs"), new XAttribute("ItemName", "BuiltOutput"))))).ToString();

    private static Dictionary<string, string> ParseTargetResult(string json)
    {
        var start = json.IndexOf('{');
        var outputs = new Dictionary<string, string>();
        if (start < 0)
        {
            return outputs;
        }
        try
        {
            using var document = JsonDocument.Parse(json[start..]);
            foreach (var item in document.RootElement.GetProperty("TargetResults").GetProperty("Build").GetProperty("Items").EnumerateArray())
            {
                outputs[item.GetProperty("MSBuildSourceProjectFile").GetString()!] = item.GetProperty("FullPath").GetString()!;
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // A failed build may print no result at all; callers report the errors instead.
        }
        return outputs;
    }

    private static string BuildErrors(ProcessRunner.Result result)
    {
        var errors = (result.StandardOutput + "\n" + result.StandardError)
            .Split('\n')
            .Where(line => line.Contains(": error ", StringComparison.Ordinal))
            .Select(line => line.Trim())
            .Distinct()
            .Take(5)
            .ToArray();
        return errors.Length > 0 ? string.Join(Environment.NewLine, errors) : $"dotnet msbuild exited with code {result.ExitCode}";
    }

    private async Task<IReadOnlyDictionary<string, Output>> LocateAsync(string[] paths, CancellationToken cancellationToken)
    {
        var outputs = new Dictionary<string, Output>();
        foreach (var path in paths)
        {
            var target = FindByConvention(path) ?? await QueryTargetPathAsync(path, cancellationToken).ConfigureAwait(false);
            outputs[path] = target is not null && File.Exists(target)
                ? new Output(target, null)
                : new Output(null, $"'{path}' is not built for {options.ProjectConfiguration}; build it, or leave AppHost:BuildProjects on");
        }
        return outputs;
    }

    /// <summary>bin/{configuration}/{tfm}/{AssemblyName}.dll, the SDK's default layout; null when the project changes it.</summary>
    private string? FindByConvention(string projectPath)
    {
        var assemblyName = XDocument.Load(projectPath).Descendants("AssemblyName").FirstOrDefault()?.Value
            ?? Path.GetFileNameWithoutExtension(projectPath);
        var bin = Path.Combine(Path.GetDirectoryName(projectPath)!, "bin", options.ProjectConfiguration);
        return Directory.Exists(bin)
            ? Directory.EnumerateFiles(bin, assemblyName + ".dll", SearchOption.AllDirectories)
                .Where(f => Path.GetDirectoryName(Path.GetDirectoryName(f)) == bin)
                .OrderByDescending(File.GetLastWriteTimeUtc)
                .FirstOrDefault()
            : null;
    }

    private async Task<string?> QueryTargetPathAsync(string projectPath, CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunAsync(dotnet, ["msbuild", projectPath, "-nologo", "-getProperty:TargetPath", $"-p:Configuration={options.ProjectConfiguration}"], options.BuildTimeout, cancellationToken).ConfigureAwait(false);
        var target = result.StandardOutput.Trim();
        return result.ExitCode == 0 && target.Length > 0 ? target : null;
    }
}
