using System.Net;
using Microsoft.Extensions.Options;

namespace AspireProber.ProberService;

/// <summary>Rejects settings the prober cannot work with at startup, naming the key to fix.</summary>
public sealed class ProberOptionsValidator : IValidateOptions<ProberOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ProberOptions options)
    {
        var failures = new List<string>();
        const string prefix = ProberOptions.SectionName;
        if (options.DefaultAttemptTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{prefix}:DefaultAttemptTimeout must be positive, e.g. 00:00:05.");
        }
        if (options.MaxAttemptTimeout < options.DefaultAttemptTimeout)
        {
            failures.Add($"{prefix}:MaxAttemptTimeout ({options.MaxAttemptTimeout}) must be at least {prefix}:DefaultAttemptTimeout ({options.DefaultAttemptTimeout}).");
        }
        if (options.MaxProbeDuration < options.MaxAttemptTimeout)
        {
            failures.Add($"{prefix}:MaxProbeDuration ({options.MaxProbeDuration}) must be at least {prefix}:MaxAttemptTimeout ({options.MaxAttemptTimeout}): one attempt must fit in a probe.");
        }
        AddIfNotPositive(failures, $"{prefix}:MaxRepetitions", options.MaxRepetitions);
        AddIfNotPositive(failures, $"{prefix}:MaxConcurrentProbes", options.MaxConcurrentProbes);
        AddIfNotPositive(failures, $"{prefix}:MaxConcurrentProbesPerCaller", options.MaxConcurrentProbesPerCaller);
        AddIfNotPositive(failures, $"{prefix}:MaxEndpointLength", options.MaxEndpointLength);
        AddIfNotPositive(failures, $"{prefix}:MaxEndpointLabels", options.MaxEndpointLabels);
        if (options.MaxRedirects < 0)
        {
            failures.Add($"{prefix}:MaxRedirects must be 0 (follow none) or more.");
        }
        if (options.ApiKey is { } key && key.Trim().Length == 0)
        {
            failures.Add($"{prefix}:ApiKey is blank: remove it to turn authentication off, or set a real key.");
        }
        AddInvalidRanges(failures, $"{prefix}:Guard:Allow", options.Guard.Allow);
        AddInvalidRanges(failures, $"{prefix}:Guard:Deny", options.Guard.Deny);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void AddIfNotPositive(List<string> failures, string key, int value)
    {
        if (value <= 0)
        {
            failures.Add($"{key} must be at least 1 (it is {value}).");
        }
    }

    private static void AddInvalidRanges(List<string> failures, string key, List<string> ranges)
    {
        for (var i = 0; i < ranges.Count; i++)
        {
            if (!IPNetwork.TryParse(ranges[i], out _))
            {
                failures.Add($"{key}:{i} = '{ranges[i]}' is not a CIDR range such as 10.0.0.0/8 or fd00::/8.");
            }
        }
    }
}
