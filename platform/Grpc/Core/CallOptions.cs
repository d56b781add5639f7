namespace Grpc.Core;

/// <summary>Per-call options of a client call: headers, deadline, cancellation and write options.</summary>
public readonly struct CallOptions
{
    /// <summary>Creates call options.</summary>
    public CallOptions(Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default, WriteOptions? writeOptions = null)
    {
        Headers = headers;
        Deadline = deadline;
        CancellationToken = cancellationToken;
        WriteOptions = writeOptions;
    }

    /// <summary>Headers sent with the call.</summary>
    public Metadata? Headers { get; }

    /// <summary>When the call must be finished by (UTC); null means none.</summary>
    public DateTime? Deadline { get; }

    /// <summary>Cancels the call: the stream is reset and the call ends with CANCELLED.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Options for the messages the client writes.</summary>
    public WriteOptions? WriteOptions { get; }

    /// <summary>A copy with other headers.</summary>
    public CallOptions WithHeaders(Metadata? headers) => new(headers, Deadline, CancellationToken, WriteOptions);

    /// <summary>A copy with another deadline.</summary>
    public CallOptions WithDeadline(DateTime? deadline) => new(Headers, deadline, CancellationToken, WriteOptions);

    /// <summary>A copy with another cancellation token.</summary>
    public CallOptions WithCancellationToken(CancellationToken cancellationToken) => new(Headers, Deadline, cancellationToken, WriteOptions);

    /// <summary>A copy with other write options.</summary>
    public CallOptions WithWriteOptions(WriteOptions? writeOptions) => new(Headers, Deadline, CancellationToken, writeOptions);
}
