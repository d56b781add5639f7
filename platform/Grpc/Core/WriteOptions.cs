namespace Grpc.Core;

/// <summary>Flags for writing one message.</summary>
[Flags]
public enum WriteFlags
{
    /// <summary>Hint that the write may be buffered (accepted, not acted on).</summary>
    BufferHint = 0x1,
    /// <summary>Send this message uncompressed even when the call has an encoding.</summary>
    NoCompress = 0x2,
}

/// <summary>Options for writing messages.</summary>
public sealed class WriteOptions
{
    /// <summary>Default options: compress when the call has an encoding.</summary>
    public static readonly WriteOptions Default = new();

    /// <summary>Creates write options.</summary>
    public WriteOptions(WriteFlags flags = default) => Flags = flags;

    /// <summary>The flags.</summary>
    public WriteFlags Flags { get; }
}
