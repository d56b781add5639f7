namespace AspireProber.Dashboard.Telemetry;

/// <summary>A fixed-capacity FIFO: adding to a full buffer overwrites the oldest item. Not thread-safe (the store locks).</summary>
internal sealed class RingBuffer<T>(int capacity)
{
    private T[] _items = new T[Math.Min(capacity, 16)];
    private int _head;

    /// <summary>How many items it holds.</summary>
    public int Count { get; private set; }

    /// <summary>The item <paramref name="index"/> places after the oldest.</summary>
    public T this[int index] => _items[(_head + index) % _items.Length];

    /// <summary>Adds <paramref name="item"/>; returns true when the oldest item was dropped to make room.</summary>
    public bool Add(T item)
    {
        if (Count == capacity)
        {
            _items[_head] = item;
            _head = (_head + 1) % _items.Length;
            return true;
        }
        if (Count == _items.Length)
        {
            // Grow lazily, so a series or log that stays small costs little.
            var grown = new T[Math.Min(capacity, _items.Length * 2)];
            for (var i = 0; i < Count; i++)
            {
                grown[i] = this[i];
            }
            (_items, _head) = (grown, 0);
        }
        _items[(_head + Count) % _items.Length] = item;
        Count++;
        return false;
    }

    /// <summary>The items, oldest first.</summary>
    public T[] ToArray()
    {
        var copy = new T[Count];
        for (var i = 0; i < Count; i++)
        {
            copy[i] = this[i];
        }
        return copy;
    }
}
