using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

/// <summary>
/// What the runner probes each round, from the AppHost's <c>Runner:Targets</c> (appsettings.json, or the command line:
/// <c>--Runner:Targets:0=https://example.org/</c>): each entry an absolute http or https URL, or a path on ProbeTarget
/// such as <c>/slow?ms=50</c>; an empty entry is skipped, so <c>--Runner:Targets:1=</c> drops the second. A wrong entry
/// stops the AppHost before it starts anything, rather than becoming a warning in the runner's log.
/// </summary>
public static class RunnerTargets
{
    /// <summary>The AppHost's setting, and the runner's configuration key it becomes.</summary>
    public const string Setting = "Runner:Targets";

    /// <summary>Gives <paramref name="runner"/> the targets of <paramref name="configuration"/>'s <see cref="Setting"/>, checked.</summary>
    public static IResourceBuilder<ProjectResource> WithRunnerTargets(this IResourceBuilder<ProjectResource> runner, IConfiguration configuration)
    {
        var targets = configuration.GetSection(Setting).GetChildren()
            .Select(entry => (Key: entry.Path, Value: entry.Value?.Trim() ?? ""))
            .Where(entry => entry.Value.Length > 0)
            .ToArray();
        for (var i = 0; i < targets.Length; i++)
        {
            var (key, value) = targets[i];
            if (!IsTarget(value))
            {
                throw new ArgumentException($"{key} is '{value}': give an absolute http or https URL (https://example.org/) or a path "
                    + "on ProbeTarget starting with / (/slow?ms=50).");
            }
            runner.WithEnvironment($"Runner__Targets__{i}", value);
        }
        return runner;
    }

    // The runner's own rule (ProbeRunner/ProbeTargets.cs): paths are resolved against ProbeTarget's address.
    // On Unix "/fast" also parses as an absolute file: URL, hence the scheme check before the path one.
    private static bool IsTarget(string value) =>
        (Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
        || (value.StartsWith('/') && !value.StartsWith("//", StringComparison.Ordinal) && Uri.IsWellFormedUriString(value, UriKind.Relative));
}
