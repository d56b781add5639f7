using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AspireProber.ProbeRunner.Tests.Infrastructure;

/// <summary>A logger that keeps every entry with its structured state (the named placeholders and their values).</summary>
public sealed class CapturingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    /// <summary>One log entry: level, rendered message and the placeholder values by name.</summary>
    public sealed record Entry(LogLevel Level, string Message, IReadOnlyDictionary<string, object?> State);

    public IReadOnlyList<Entry> Entries => _entries.ToArray();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue(new Entry(logLevel, formatter(state, exception),
            (state as IEnumerable<KeyValuePair<string, object?>>)?.ToDictionary(kv => kv.Key, kv => kv.Value) ?? []));
}
