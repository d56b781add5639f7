using Grpc.Core;
using Grpc.Shared;

namespace Grpc.AspNetCore.Server.Internal;

/// <summary>The request stream of a client-streaming or duplex call, read from the request body pipe.</summary>
internal sealed class HttpContextStreamReader<TRequest> : IAsyncStreamReader<TRequest> where TRequest : class
{
    private readonly HttpContextServerCallContext _context;
    private readonly Marshaller<TRequest> _marshaller;
    private TRequest? _current;
    private bool _completed;

    public HttpContextStreamReader(HttpContextServerCallContext context, Marshaller<TRequest> marshaller)
    {
        _context = context;
        _marshaller = marshaller;
    }

    public TRequest Current => _current ?? throw new InvalidOperationException("No current message: call MoveNext first and check it returned true.");

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        if (_completed)
        {
            return false;
        }
        // Reads stop when the call ends (client gone, deadline) as well as on the caller's own token.
        using var linked = cancellationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _context.CancellationToken)
            : null;
        var message = await MessageFraming.ReadMessageAsync(_context.HttpContext.Request.BodyReader, _marshaller, _context.ReadSettings,
            linked?.Token ?? _context.CancellationToken).ConfigureAwait(false);
        if (message is null)
        {
            _completed = true;
            _current = null;
            return false;
        }
        _context.MessagesRead++;
        _current = message;
        return true;
    }
}
