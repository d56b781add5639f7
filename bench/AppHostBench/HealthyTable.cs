using System.Diagnostics;
using System.Text.RegularExpressions;

namespace AspireProber.AppHostBench;

/// <summary>
/// Follows the AppHost's console table line by line (it reprints a row whenever a replica changes), notes when each
/// replica first shows <c>Running (Healthy)</c>, and tells when every expected replica is healthy at once.
/// </summary>
internal sealed partial class HealthyTable(IReadOnlyCollection<string> replicas, Stopwatch clock)
{
    private const string Healthy = "Running (Healthy)";
    private readonly Dictionary<string, string> _states = [];
    private readonly Dictionary<string, TimeSpan> _firstHealthy = [];

    /// <summary>When each replica was first healthy, on the clock that started with the AppHost.</summary>
    public IReadOnlyDictionary<string, TimeSpan> FirstHealthy => _firstHealthy;

    /// <summary>Takes one line of output; true once every replica is healthy.</summary>
    public bool Accept(string line)
    {
        if (TableRow().Match(line) is { Success: true } match)
        {
            var name = match.Groups["name"].Value;
            _states[name] = match.Groups["state"].Value;
            if (_states[name] == Healthy)
            {
                _firstHealthy.TryAdd(name, clock.Elapsed);
            }
        }
        return replicas.All(r => _states.GetValueOrDefault(r) == Healthy);
    }

    // Rows start at column 0 with a replica name ("name-index"); the AppHost's log lines start with "info:" or spaces.
    [GeneratedRegex(@"^(?<name>[a-zA-Z][a-zA-Z0-9-]*-\d+) {2,}(?<state>\w+(?: \(\w+\))?)")]
    private static partial Regex TableRow();
}
