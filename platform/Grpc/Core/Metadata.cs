using System.Collections;
using System.Text;

namespace Grpc.Core;

/// <summary>
/// Call headers or trailers: an ordered list of key/value entries. Keys are lower-case ASCII; a key ending
/// in <c>-bin</c> carries bytes (base64 on the wire), every other key an ASCII string.
/// </summary>
public sealed class Metadata : IList<Metadata.Entry>
{
    /// <summary>The suffix that marks a binary entry.</summary>
    public const string BinaryHeaderSuffix = "-bin";

    /// <summary>An empty, read-only instance.</summary>
    public static readonly Metadata Empty = new Metadata().Freeze();

    private readonly List<Entry> _entries = new();
    private bool _readOnly;

    /// <summary>Makes this instance read-only and returns it.</summary>
    internal Metadata Freeze()
    {
        _readOnly = true;
        return this;
    }

    /// <summary>The last entry with this key, or null.</summary>
    public Entry? Get(string key)
    {
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            if (_entries[i].Key.Equals(key, StringComparison.OrdinalIgnoreCase))
            {
                return _entries[i];
            }
        }
        return null;
    }

    /// <summary>The string value of the last entry with this key, or null. Throws for a binary key.</summary>
    public string? GetValue(string key)
    {
        if (IsBinaryKey(key))
        {
            throw new InvalidOperationException($"Key '{key}' is binary: use GetValueBytes.");
        }
        return Get(key)?.Value;
    }

    /// <summary>The bytes of the last entry with this key, or null. Throws for a string key.</summary>
    public byte[]? GetValueBytes(string key)
    {
        if (!IsBinaryKey(key))
        {
            throw new InvalidOperationException($"Key '{key}' is not binary: use GetValue.");
        }
        return Get(key)?.ValueBytes;
    }

    /// <summary>Every entry with this key, in order.</summary>
    public IEnumerable<Entry> GetAll(string key) =>
        _entries.Where(e => e.Key.Equals(key, StringComparison.OrdinalIgnoreCase));

    /// <summary>Adds a string entry.</summary>
    public void Add(string key, string value) => Add(new Entry(key, value));

    /// <summary>Adds a binary entry (the key must end in -bin).</summary>
    public void Add(string key, byte[] valueBytes) => Add(new Entry(key, valueBytes));

    /// <inheritdoc />
    public void Add(Entry item)
    {
        ThrowIfReadOnly();
        _entries.Add(item);
    }

    /// <inheritdoc />
    public Entry this[int index]
    {
        get => _entries[index];
        set
        {
            ThrowIfReadOnly();
            _entries[index] = value;
        }
    }

    /// <inheritdoc />
    public int Count => _entries.Count;

    /// <inheritdoc />
    public bool IsReadOnly => _readOnly;

    /// <inheritdoc />
    public int IndexOf(Entry item) => _entries.IndexOf(item);

    /// <inheritdoc />
    public void Insert(int index, Entry item)
    {
        ThrowIfReadOnly();
        _entries.Insert(index, item);
    }

    /// <inheritdoc />
    public void RemoveAt(int index)
    {
        ThrowIfReadOnly();
        _entries.RemoveAt(index);
    }

    /// <inheritdoc />
    public void Clear()
    {
        ThrowIfReadOnly();
        _entries.Clear();
    }

    /// <inheritdoc />
    public bool Contains(Entry item) => _entries.Contains(item);

    /// <inheritdoc />
    public void CopyTo(Entry[] array, int arrayIndex) => _entries.CopyTo(array, arrayIndex);

    /// <inheritdoc />
    public bool Remove(Entry item)
    {
        ThrowIfReadOnly();
        return _entries.Remove(item);
    }

    /// <inheritdoc />
    public IEnumerator<Entry> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private void ThrowIfReadOnly()
    {
        if (_readOnly)
        {
            throw new InvalidOperationException("Metadata is read-only.");
        }
    }

    internal static bool IsBinaryKey(string key) => key.EndsWith(BinaryHeaderSuffix, StringComparison.OrdinalIgnoreCase);

    /// <summary>One metadata entry: a normalized key and either a string or a byte value.</summary>
    public sealed class Entry
    {
        private readonly string? _value;
        private readonly byte[]? _valueBytes;

        /// <summary>Creates a string entry; the key must not end in -bin and the value must be printable ASCII.</summary>
        public Entry(string key, string value)
        {
            Key = NormalizeKey(key);
            if (IsBinaryKey(Key))
            {
                throw new ArgumentException($"Key '{key}' ends in '-bin': binary entries take a byte[] value.", nameof(key));
            }
            ArgumentNullException.ThrowIfNull(value);
            foreach (var c in value)
            {
                // Header values are visible ASCII plus space (grpc/grpc doc/PROTOCOL-HTTP2.md, ASCII-Value).
                if (c < 0x20 || c > 0x7E)
                {
                    throw new ArgumentException($"Value of '{key}' has a character outside printable ASCII; use a '-bin' key for other data.", nameof(value));
                }
            }
            _value = value;
        }

        /// <summary>Creates a binary entry; the key must end in -bin.</summary>
        public Entry(string key, byte[] valueBytes)
        {
            Key = NormalizeKey(key);
            if (!IsBinaryKey(Key))
            {
                throw new ArgumentException($"Key '{key}' carries bytes, so it must end in '-bin'.", nameof(key));
            }
            _valueBytes = valueBytes ?? throw new ArgumentNullException(nameof(valueBytes));
        }

        /// <summary>The lower-case key.</summary>
        public string Key { get; }

        /// <summary>True when the key ends in -bin and the value is bytes.</summary>
        public bool IsBinary => _valueBytes is not null;

        /// <summary>The string value; throws for a binary entry.</summary>
        public string Value => _value ?? throw new InvalidOperationException($"Entry '{Key}' is binary: use ValueBytes.");

        /// <summary>The byte value (a copy); for a string entry, its ASCII bytes.</summary>
        public byte[] ValueBytes => _valueBytes is not null ? (byte[])_valueBytes.Clone() : Encoding.ASCII.GetBytes(_value!);

        /// <summary>The byte value without a copy, for the transport.</summary>
        internal ReadOnlySpan<byte> ValueBytesSpan => _valueBytes;

        /// <inheritdoc />
        public override string ToString() => IsBinary
            ? $"[Entry: key={Key}, valueBytes={Convert.ToBase64String(_valueBytes!)}]"
            : $"[Entry: key={Key}, value={_value}]";

        private static string NormalizeKey(string key)
        {
            ArgumentException.ThrowIfNullOrEmpty(key);
            var lower = key.ToLowerInvariant();
            foreach (var c in lower)
            {
                // Header-Name → 1*( %x30-39 / %x61-7A / "_" / "-" / "." ) in the protocol spec.
                if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_' or '-' or '.'))
                {
                    throw new ArgumentException($"Metadata key '{key}' has '{c}': keys take only a-z, 0-9, '_', '-' and '.'.", nameof(key));
                }
            }
            return lower;
        }
    }
}
