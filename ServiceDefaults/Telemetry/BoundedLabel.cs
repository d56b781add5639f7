namespace AspireProber.ServiceDefaults;

/// <summary>
/// The values one metric label may take when callers choose them: each bounded in length (<see cref="TelemetryValues.Bound"/>),
/// and only the first <c>maxValues</c> distinct ones kept; later ones share <see cref="Other"/>. So no caller can grow
/// the number of series, or the size of a scrape, without bound.
/// </summary>
/// <param name="maxValues">How many distinct values get a series of their own.</param>
public sealed class BoundedLabel(int maxValues)
{
    /// <summary>The value every label past the bound shares.</summary>
    public const string Other = "other";

    private readonly HashSet<string> _values = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>The label value for <paramref name="value"/>: bounded in length, or <see cref="Other"/> once the bound is reached.</summary>
    public string Of(string value)
    {
        var bounded = TelemetryValues.Bound(value);
        lock (_lock)
        {
            // Exact under concurrent first calls: the count is checked and the value added under one lock.
            return _values.Contains(bounded) || (_values.Count < maxValues && _values.Add(bounded)) ? bounded : Other;
        }
    }
}
