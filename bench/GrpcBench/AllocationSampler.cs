using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace AspireProber.GrpcBench;

/// <summary>
/// Which types the allocations are, from the runtime's GCAllocationTick event: about every 100 KB allocated,
/// the GC names the type of the object that crossed the mark and the bytes since the last tick, so summing
/// those amounts per type estimates each type's share. Used in a run of its own, since listening allocates too.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const string RuntimeEventSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private const int AllocationTickEventId = 10;

    // Initialized before the base constructor runs, which may already deliver events.
    private readonly ConcurrentDictionary<string, long> _bytesByType = new();

    public sealed record TypeShare(string Type, double Share);

    /// <summary>The <paramref name="count"/> types with the largest share of the bytes sampled so far.</summary>
    public IReadOnlyList<TypeShare> Top(int count)
    {
        var snapshot = _bytesByType.ToArray();
        double total = snapshot.Sum(entry => entry.Value);
        return snapshot.OrderByDescending(entry => entry.Value).Take(count)
            .Select(entry => new TypeShare(entry.Key, entry.Value / total)).ToList();
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeEventSource)
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventId != AllocationTickEventId || eventData.PayloadNames is not { } names || eventData.Payload is not { } payload)
        {
            return;
        }
        var typeName = payload[names.IndexOf("TypeName")] as string ?? "?";
        var amount = Convert.ToInt64(payload[names.IndexOf("AllocationAmount64")]);
        _bytesByType.AddOrUpdate(typeName, amount, (_, sum) => sum + amount);
    }
}
