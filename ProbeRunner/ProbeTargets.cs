using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace AspireProber.ProbeRunner;

/// <summary>Turns the configured targets into absolute URLs: paths are resolved against the ProbeTarget's address.</summary>
public static class ProbeTargets
{
    /// <summary>The resource name of the local probe target (<c>services__probetarget__http__0</c>).</summary>
    public const string ProbeTargetServiceName = "probetarget";

    /// <summary>Each target as an absolute URL; <paramref name="unresolved"/> gets those that could not be resolved.</summary>
    public static IReadOnlyList<Uri> Resolve(IEnumerable<string> targets, IConfiguration configuration, out IReadOnlyList<string> unresolved)
    {
        // The first replica's http endpoint, as the AppHost injects it; a path target needs an absolute base.
        var probeTarget = Uri.TryCreate(configuration[$"services:{ProbeTargetServiceName}:http:0"], UriKind.Absolute, out var address) ? address : null;
        var resolved = new List<Uri>();
        var failed = new List<string>();
        foreach (var target in targets.Where(t => !string.IsNullOrWhiteSpace(t)))
        {
            if (Uri.TryCreate(target, UriKind.Absolute, out var absolute) && (absolute.Scheme == Uri.UriSchemeHttp || absolute.Scheme == Uri.UriSchemeHttps))
            {
                resolved.Add(absolute);
            }
            else if (probeTarget is not null && target.StartsWith('/') && Uri.TryCreate(probeTarget, target, out var relative))
            {
                resolved.Add(relative);
            }
            else
            {
                failed.Add(target);
            }
        }
        unresolved = failed;
        return resolved;
    }
}
