using System.Collections.Concurrent;
using System.Text;
using Grpc.Core;

namespace AspireProber.HostileBench;

/// <summary>
/// What the calls of one case ended with: each outcome (a gRPC status name, with what came before it where that
/// matters, e.g. "1 update, then CANCELLED") and how often, plus notes such as how far a flood got.
/// </summary>
internal sealed class Outcomes(int callsPerRound)
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _notes = new();

    /// <summary>How many calls one round of the case makes; every one must end with a counted outcome.</summary>
    public int CallsPerRound { get; } = callsPerRound;

    /// <summary>Calls counted so far, over every round.</summary>
    public int Total => _counts.Values.Sum();

    /// <summary>Notes the case added, in order.</summary>
    public IReadOnlyCollection<string> Notes => _notes;

    /// <summary>Counts one call's outcome.</summary>
    public void Add(string outcome) => _counts.AddOrUpdate(outcome, 1, (_, count) => count + 1);

    /// <summary>Adds a note to the report line of the case.</summary>
    public void Note(string note) => _notes.Enqueue(note);

    /// <summary>"RESOURCE_EXHAUSTED ×5, OK ×3", the most frequent first.</summary>
    public override string ToString() => string.Join(", ", _counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)
        .Select(c => $"{c.Key} ×{c.Value:N0}"));

    /// <summary>The status as the gRPC spec names it: RESOURCE_EXHAUSTED for <see cref="StatusCode.ResourceExhausted"/>.</summary>
    public static string NameOf(StatusCode code)
    {
        var name = new StringBuilder();
        foreach (var c in code.ToString())
        {
            if (char.IsUpper(c) && name.Length > 0)
            {
                name.Append('_');
            }
            name.Append(char.ToUpperInvariant(c));
        }
        return name.ToString();
    }

    /// <summary>"OK" when <paramref name="call"/> succeeds, else the status it failed with.</summary>
    public static async Task<string> StatusOf(Func<Task> call)
    {
        try
        {
            await call();
            return "OK";
        }
        catch (RpcException e)
        {
            return NameOf(e.StatusCode);
        }
    }

    /// <summary>
    /// Makes <see cref="CallsPerRound"/> calls, <c>call(i)</c> for i = 0, 1, ..., at most <paramref name="concurrency"/>
    /// at a time, and counts what each one ended with.
    /// </summary>
    public async Task RunAsync(int concurrency, Func<int, Task<string>> call, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(concurrency);
        var calls = new List<Task>(CallsPerRound);
        for (var i = 0; i < CallsPerRound; i++)
        {
            await slots.WaitAsync(cancellationToken);
            calls.Add(CountAsync(i));
        }
        await Task.WhenAll(calls);

        async Task CountAsync(int i)
        {
            try
            {
                Add(await call(i));
            }
            finally
            {
                slots.Release();
            }
        }
    }
}
