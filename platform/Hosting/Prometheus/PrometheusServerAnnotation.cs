using System.Globalization;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// Marks a Prometheus server resource and holds what its generated configuration needs: the scrape interval and the
/// per-run directory each replica's configuration (and, for the executable, its TSDB) is written to.
/// </summary>
public sealed class PrometheusServerAnnotation(string workingDirectory) : IResourceAnnotation
{
    /// <summary>How often every target is scraped (default 2 s, so the dashboards move while one watches).</summary>
    public TimeSpan ScrapeInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The per-run directory, created at start and deleted when the AppHost stops.</summary>
    public string WorkingDirectory { get; } = workingDirectory;

    /// <summary>The file name of replica <paramref name="replicaIndex"/>'s generated configuration, inside <see cref="WorkingDirectory"/>.</summary>
    public static string ConfigFileName(int replicaIndex) => string.Create(CultureInfo.InvariantCulture, $"prometheus-{replicaIndex}.yml");

    /// <summary>The TSDB directory of replica <paramref name="replicaIndex"/> when it runs as an executable (a container keeps its data inside).</summary>
    public string DataDirectory(int replicaIndex) => Path.Combine(WorkingDirectory, string.Create(CultureInfo.InvariantCulture, $"data-{replicaIndex}"));
}
