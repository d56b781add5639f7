namespace AspireProber.InteropServer;

/// <summary>The interop programs' flags: <c>--name=value</c>, each from a known set; anything else is an error.</summary>
internal sealed class InteropFlags
{
    private readonly Dictionary<string, string> _values;

    private InteropFlags(Dictionary<string, string> values) => _values = values;

    public static InteropFlags Parse(string[] args, IReadOnlyCollection<string> allowed)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var arg in args)
        {
            var separator = arg.IndexOf('=');
            if (!arg.StartsWith("--", StringComparison.Ordinal) || separator < 0)
            {
                throw new ArgumentException($"Flag '{arg}' is not of the form --name=value.");
            }
            var name = arg[2..separator];
            if (!allowed.Contains(name))
            {
                throw new ArgumentException($"Unknown flag --{name}; known flags: {string.Join(", ", allowed.Select(a => "--" + a))}.");
            }
            values[name] = arg[(separator + 1)..];
        }
        return new InteropFlags(values);
    }

    public string? GetString(string name) => _values.GetValueOrDefault(name);

    public int GetInt(string name, int defaultValue) =>
        _values.TryGetValue(name, out var value)
            ? int.TryParse(value, out var parsed) ? parsed : throw new ArgumentException($"--{name}={value} is not an integer.")
            : defaultValue;

    public bool GetBool(string name, bool defaultValue) =>
        _values.TryGetValue(name, out var value)
            ? bool.TryParse(value, out var parsed) ? parsed : throw new ArgumentException($"--{name}={value} is not true or false.")
            : defaultValue;
}
