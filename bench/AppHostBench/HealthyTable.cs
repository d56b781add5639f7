using System.Text.RegularExpressions;

namespace AspireProber.AppHostBench;

/// <summary>
/// Follows the AppHost's console table line by line (it reprints a row whenever a replica changes) and tells when
/// every expected replica shows <c>Running (Healthy)</c> at once.
/// </summary>
internal sealed partial class HealthyTable(IReadOnlyCollection<string> replicas)
{
    private readonly Dictionary<string, string> _states = [];

    /// <summary>Takes one line of output; true once every replica is healthy.</summary>
    public bool Accept(string line)
    {
        if (TableRow().Match(line) is { Success: true } match)
        {
            _states[match.Groups["name"].Value] = match.Groups["state"].Value;
        }
        return replicas.All(r => _states.GetValueOrDefault(r) == "Running (Healthy)");
    }

    // Rows start at column 0 with a replica name ("name-index"); the AppHost's log lines start with "info:" or spaces.
    [GeneratedRegex(@"^(?<name>[a-zA-Z][a-zA-Z0-9-]*-\d+) {2,}(?<state>\w+(?: \(\w+\))?)")]
    private static partial Regex TableRow();
}
