namespace Grpc.Core;

/// <summary>Reads a stream of messages one at a time.</summary>
public interface IAsyncStreamReader<out T>
{
    /// <summary>The message read by the last successful <see cref="MoveNext"/>.</summary>
    T Current { get; }

    /// <summary>Reads the next message; false at the end of the stream.</summary>
    Task<bool> MoveNext(CancellationToken cancellationToken);
}

/// <summary>Writes a stream of messages; each write completes when the transport accepted it (flow control).</summary>
public interface IAsyncStreamWriter<in T>
{
    /// <summary>Options for the next writes.</summary>
    WriteOptions? WriteOptions { get; set; }

    /// <summary>Writes one message. Only one write may be pending at a time.</summary>
    Task WriteAsync(T message);

    /// <summary>Writes one message, giving up when the token fires.</summary>
    Task WriteAsync(T message, CancellationToken cancellationToken) => cancellationToken.CanBeCanceled
        ? WriteAsync(message).WaitAsync(cancellationToken)
        : WriteAsync(message);
}

/// <summary>The server's writer of response messages.</summary>
public interface IServerStreamWriter<in T> : IAsyncStreamWriter<T>
{
}

/// <summary>The client's writer of request messages; <see cref="CompleteAsync"/> ends the request stream.</summary>
public interface IClientStreamWriter<in T> : IAsyncStreamWriter<T>
{
    /// <summary>Ends the request stream (half-close).</summary>
    Task CompleteAsync();
}

/// <summary>Stream reader helpers.</summary>
public static class AsyncStreamReaderExtensions
{
    /// <summary>Reads every message of the stream as an async enumerable.</summary>
    public static async IAsyncEnumerable<T> ReadAllAsync<T>(this IAsyncStreamReader<T> reader,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        while (await reader.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            yield return reader.Current;
        }
    }
}
