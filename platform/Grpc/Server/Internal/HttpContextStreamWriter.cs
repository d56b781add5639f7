using Grpc.Core;

namespace Grpc.AspNetCore.Server.Internal;

/// <summary>
/// The response stream of a server-streaming or duplex call. Each write is flushed, so it completes only when
/// HTTP/2 flow control has room: a slow reader slows the writer instead of growing a buffer.
/// </summary>
internal sealed class HttpContextStreamWriter<TResponse> : IServerStreamWriter<TResponse>
{
    private readonly HttpContextServerCallContext _context;
    private readonly Marshaller<TResponse> _marshaller;

    public HttpContextStreamWriter(HttpContextServerCallContext context, Marshaller<TResponse> marshaller)
    {
        _context = context;
        _marshaller = marshaller;
    }

    public WriteOptions? WriteOptions
    {
        get => _context.WriteOptions;
        set => _context.WriteOptions = value;
    }

    public Task WriteAsync(TResponse message) => WriteAsync(message, CancellationToken.None);

    public Task WriteAsync(TResponse message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return cancellationToken.CanBeCanceled
            ? WriteWithCallerTokenAsync(message, cancellationToken)
            : _context.WriteMessageAsync(message, _marshaller, flush: true, _context.CancellationToken).AsTask();
    }

    private async Task WriteWithCallerTokenAsync(TResponse message, CancellationToken cancellationToken)
    {
        // A write stops on the caller's token and also when the call ends (client gone, deadline).
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _context.CancellationToken);
        await _context.WriteMessageAsync(message, _marshaller, flush: true, linked.Token).ConfigureAwait(false);
    }
}
