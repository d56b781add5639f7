using System.Diagnostics;
using System.Net;
using Grpc.Core;
using Grpc.Net.Compression;
using Grpc.Net.Diagnostics;
using Grpc.Shared;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Grpc.AspNetCore.Server.Internal;

/// <summary>
/// The state of one server call on top of its HttpContext: deadline, cancellation, response headers, the
/// status and trailers. Writes and the end of the call are serialized, so a deadline that fires while the
/// handler runs ends the call exactly once.
/// </summary>
internal sealed partial class HttpContextServerCallContext : ServerCallContext
{
    private readonly ServerMethodSettings _settings;
    private readonly ILogger _logger;
    // Writes and the end of the call race only when a deadline timer can end the call on its own, so the lock
    // exists only then; without it, a write that overlaps another is the handler's bug and is reported.
    private SemaphoreSlim? _writeLock;
    private int _writeInProgress;
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();
    private Metadata? _requestHeaders;
    private Metadata? _responseTrailers;
    private CancellationTokenSource? _deadlineCts;
    private CancellationTokenSource? _linkedCts;
    private ICompressionProvider? _responseCompression;
    private bool _responseHeadersPrepared;
    private bool _callEnded;
    private bool _deadlineExceeded;
    private Activity? _activity;
    private DateTime _deadline = DateTime.MaxValue;

    public HttpContextServerCallContext(HttpContext httpContext, IMethod method, ServerMethodSettings settings, ILogger logger)
    {
        HttpContext = httpContext;
        MethodInfo = method;
        _settings = settings;
        _logger = logger;
    }

    public HttpContext HttpContext { get; }

    public IMethod MethodInfo { get; }

    public int MessagesRead { get; set; }

    public int MessagesWritten { get; private set; }

    /// <summary>How request messages are read: the size limit and the request's encoding.</summary>
    public MessageReadSettings ReadSettings { get; private set; }

    public override string Method => MethodInfo.FullName;

    public override string Host => HttpContext.Request.Host.Value ?? "";

    public override string Peer => HttpContext.Connection.RemoteIpAddress is { } ip
        ? (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"ipv6:[{ip}]:{HttpContext.Connection.RemotePort}" : $"ipv4:{ip}:{HttpContext.Connection.RemotePort}")
        : "unknown";

    public override DateTime Deadline => _deadline;

    public override Metadata RequestHeaders => _requestHeaders ??= ReadRequestHeaders();

    public override CancellationToken CancellationToken => _linkedCts?.Token ?? HttpContext.RequestAborted;

    public override Metadata ResponseTrailers => _responseTrailers ??= new Metadata();

    public override Status Status { get; set; } = Status.DefaultSuccess;

    public override WriteOptions? WriteOptions { get; set; }

    /// <summary>
    /// Checks the request and sets the call up. Returns the status to end the call with right away
    /// (as Trailers-Only) when the request cannot be served, or null to run the handler.
    /// </summary>
    public Status? Initialize()
    {
        _activity = GrpcDiagnostics.StartRpcActivity(GrpcDiagnostics.ServerActivitySource, MethodInfo, ActivityKind.Server, IncomingTraceContext());
        var request = HttpContext.Request;

        var encoding = request.Headers[GrpcProtocolConstants.MessageEncodingHeader].ToString();
        ICompressionProvider? decompressor = null;
        if (encoding.Length > 0 && encoding != GrpcProtocolConstants.IdentityEncoding)
        {
            decompressor = CompressionProviders.Find(_settings.CompressionProviders, encoding);
            if (decompressor is null)
            {
                // The spec: an unsupported request encoding is UNIMPLEMENTED, and the response lists what is supported.
                HttpContext.Response.Headers[GrpcProtocolConstants.MessageAcceptEncodingHeader] = _settings.AcceptEncodingValue;
                return new Status(StatusCode.Unimplemented, $"Unsupported grpc-encoding value '{encoding}'. Supported encodings: {_settings.AcceptEncodingValue}");
            }
        }
        ReadSettings = new MessageReadSettings(_settings.MaxReceiveMessageSize, encoding.Length > 0 ? encoding : null, decompressor);

        var timeoutHeader = request.Headers[GrpcProtocolConstants.TimeoutHeader].ToString();
        if (timeoutHeader.Length > 0)
        {
            if (!GrpcTimeout.TryParse(timeoutHeader, out var timeout))
            {
                return new Status(StatusCode.Internal, $"Malformed grpc-timeout header '{timeoutHeader}': expected up to 8 digits followed by one of H, M, S, m, u, n.");
            }
            StartDeadline(timeout);
        }

        _responseCompression = _settings.ResponseCompressionAlgorithm is { } algorithm ? ChooseResponseCompression(algorithm) : null;
        return null;
    }

    public override async Task WriteResponseHeadersAsync(Metadata responseHeaders)
    {
        ArgumentNullException.ThrowIfNull(responseHeaders);
        await EnterWriteAsync(CancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfEnded();
            if (HttpContext.Response.HasStarted)
            {
                throw new InvalidOperationException("Response headers can only be sent once per call.");
            }
            foreach (var entry in responseHeaders)
            {
                if (entry.Key == GrpcProtocolConstants.RequestEncodingMetadataKey)
                {
                    // grpc-dotnet's way to pick the response encoding per call; still only one the client accepts.
                    _responseCompression = ChooseResponseCompression(entry.Value);
                    continue;
                }
                HttpContext.Response.Headers.Append(entry.Key, MetadataHeaders.EncodeValue(entry));
            }
            PrepareResponseHeaders();
            await HttpContext.Response.BodyWriter.FlushAsync(CancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ExitWrite();
        }
    }

    /// <summary>Writes one response message; flushing waits for HTTP/2 flow control when asked to.</summary>
    public async ValueTask WriteMessageAsync<TResponse>(TResponse message, Marshaller<TResponse> marshaller, bool flush, CancellationToken cancellationToken)
    {
        await EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfEnded();
            PrepareResponseHeaders();
            var compression = WriteOptions is { } options && (options.Flags & WriteFlags.NoCompress) != 0 ? null : _responseCompression;
            var writer = HttpContext.Response.BodyWriter;
            MessageFraming.WriteMessage(writer, message, marshaller, compression, _settings.MaxSendMessageSize);
            MessagesWritten++;
            if (flush)
            {
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ExitWrite();
        }
    }

    /// <summary>Ends the call with <see cref="Status"/> once the handler has returned.</summary>
    public Task EndCallAsync() => EndCallAsync(Status, completeResponse: false);

    /// <summary>Turns what the handler threw into the call's status and ends the call with it.</summary>
    public Task EndCallWithErrorAsync(Exception exception)
    {
        if (_deadlineExceeded)
        {
            return Task.CompletedTask;
        }
        if (HttpContext.RequestAborted.IsCancellationRequested && exception is OperationCanceledException or IOException or ConnectionAbortedException)
        {
            // The client reset the stream or went away: nobody is left to receive a status.
            Log.CallCancelledByClient(_logger, Method);
            Status = GrpcProtocolConstants.Statuses.CancelledByClient;
            _callEnded = true;
            return Task.CompletedTask;
        }

        Status status;
        if (exception is RpcException rpcException)
        {
            status = rpcException.Status;
            foreach (var entry in rpcException.Trailers)
            {
                ResponseTrailers.Add(entry);
            }
            Log.RpcExceptionThrown(_logger, Method, status.StatusCode, status.Detail);
        }
        else
        {
            Log.HandlerError(_logger, exception, Method);
            status = _settings.EnableDetailedErrors
                ? new Status(StatusCode.Unknown, $"Exception was thrown by handler. {exception.GetType().Name}: {exception.Message}", exception)
                : GrpcProtocolConstants.Statuses.UnknownHandlerError;
        }
        return EndCallAsync(status, completeResponse: false);
    }

    /// <summary>Ends a call that could not start (bad request): the status goes out as Trailers-Only.</summary>
    public Task RejectAsync(Status status) => EndCallAsync(status, completeResponse: false);

    public void Complete()
    {
        var tags = GrpcDiagnostics.RpcTags(MethodInfo, Status.StatusCode);
        GrpcDiagnostics.ServerDuration.Record(Stopwatch.GetElapsedTime(_startTimestamp).TotalSeconds, tags);
        if (MethodInfo.Type != MethodType.Unary)
        {
            GrpcDiagnostics.ServerRequestsPerRpc.Record(MessagesRead, tags);
            GrpcDiagnostics.ServerResponsesPerRpc.Record(MessagesWritten, tags);
        }
        GrpcDiagnostics.StopRpcActivity(_activity, Status, isServer: true);
        _deadlineCts?.Dispose();
        _linkedCts?.Dispose();
    }

    private async Task EndCallAsync(Status status, bool completeResponse)
    {
        // Not cancellable: ending the call must get through even after the call's token fired.
        if (_writeLock is not null)
        {
            await _writeLock.WaitAsync().ConfigureAwait(false);
        }
        try
        {
            if (_callEnded)
            {
                return;
            }
            _callEnded = true;
            Status = status;
            if (HttpContext.RequestAborted.IsCancellationRequested)
            {
                return;
            }

            var response = HttpContext.Response;
            if (!response.HasStarted && MessagesWritten == 0)
            {
                // Trailers-Only: one HEADERS frame with END_STREAM carries the status.
                PrepareResponseHeaders();
                WriteStatus(response.Headers, status);
            }
            else
            {
                PrepareResponseHeaders();
                var trailers = HttpContext.Features.Get<IHttpResponseTrailersFeature>()?.Trailers
                    ?? throw new InvalidOperationException("The connection does not support trailers; gRPC needs HTTP/2.");
                WriteStatus(trailers, status);
            }
            if (completeResponse)
            {
                await response.CompleteAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or ConnectionAbortedException or OperationCanceledException)
        {
            Log.StatusNotSent(_logger, ex, Method);
        }
        finally
        {
            _writeLock?.Release();
        }
    }

    private void WriteStatus(IHeaderDictionary headers, Status status)
    {
        headers[GrpcProtocolConstants.StatusTrailer] = FormatStatusCode(status.StatusCode);
        if (status.Detail.Length > 0)
        {
            headers[GrpcProtocolConstants.MessageTrailer] = PercentEncoding.Encode(status.Detail);
        }
        if (_responseTrailers is not null)
        {
            foreach (var entry in _responseTrailers)
            {
                if (!GrpcProtocolConstants.IsReservedHeader(entry.Key))
                {
                    headers.Append(entry.Key, MetadataHeaders.EncodeValue(entry));
                }
            }
        }
    }

    private void PrepareResponseHeaders()
    {
        if (_responseHeadersPrepared)
        {
            return;
        }
        _responseHeadersPrepared = true;
        var response = HttpContext.Response;
        if (response.HasStarted)
        {
            return;
        }
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = GrpcProtocolConstants.GrpcContentType;
        if (_responseCompression is not null)
        {
            response.Headers[GrpcProtocolConstants.MessageEncodingHeader] = _responseCompression.EncodingName;
        }
        response.Headers[GrpcProtocolConstants.MessageAcceptEncodingHeader] = _settings.AcceptEncodingValue;
    }

    private void StartDeadline(TimeSpan timeout)
    {
        _deadline = DateTime.UtcNow + timeout;
        // Timers take at most int.MaxValue ms (~24.8 days); a longer deadline is as good as none for a timer.
        if (timeout.TotalMilliseconds >= int.MaxValue)
        {
            return;
        }
        _writeLock = new SemaphoreSlim(1, 1);
        _deadlineCts = new CancellationTokenSource();
        _linkedCts = CancellationTokenSource.CreateLinkedTokenSource(HttpContext.RequestAborted, _deadlineCts.Token);
        _deadlineCts.Token.UnsafeRegister(static state => ((HttpContextServerCallContext)state!).OnDeadline(), this);
        _deadlineCts.CancelAfter(timeout);
    }

    private void OnDeadline()
    {
        _deadlineExceeded = true;
        Log.DeadlineExceeded(_logger, Method);
        // Send DEADLINE_EXCEEDED now, whatever the handler is doing; its later writes fail.
        _ = EndCallAsync(GrpcProtocolConstants.Statuses.DeadlineExceeded, completeResponse: true);
    }

    private Task EnterWriteAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _writeInProgress, 1) == 1)
        {
            throw new InvalidOperationException("A write is already in progress: await each WriteAsync before starting the next.");
        }
        return _writeLock is null ? Task.CompletedTask : WaitForWriteLockAsync(_writeLock, cancellationToken);
    }

    private async Task WaitForWriteLockAsync(SemaphoreSlim writeLock, CancellationToken cancellationToken)
    {
        try
        {
            await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Volatile.Write(ref _writeInProgress, 0);
            throw;
        }
    }

    private void ExitWrite()
    {
        _writeLock?.Release();
        Volatile.Write(ref _writeInProgress, 0);
    }

    private void ThrowIfEnded()
    {
        if (_callEnded)
        {
            throw _deadlineExceeded
                ? new RpcException(GrpcProtocolConstants.Statuses.DeadlineExceeded)
                : new InvalidOperationException("The call has already ended; no more can be written.");
        }
    }

    /// <summary>The provider for <paramref name="algorithm"/> if the client's grpc-accept-encoding lists it, else none.</summary>
    private ICompressionProvider? ChooseResponseCompression(string algorithm)
    {
        var acceptEncoding = HttpContext.Request.Headers[GrpcProtocolConstants.MessageAcceptEncodingHeader].ToString();
        foreach (var accepted in acceptEncoding.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (string.Equals(accepted, algorithm, StringComparison.OrdinalIgnoreCase))
            {
                return CompressionProviders.Find(_settings.CompressionProviders, algorithm);
            }
        }
        return null;
    }

    private Metadata ReadRequestHeaders()
    {
        var metadata = new Metadata();
        foreach (var header in HttpContext.Request.Headers)
        {
            // A -bin header that is not base64 is dropped rather than failing a call that may never read it.
            MetadataHeaders.TryAddHeader(metadata, header.Key, header.Value);
        }
        return metadata;
    }

    private ActivityContext IncomingTraceContext()
    {
        if (Activity.Current is { } current)
        {
            // ASP.NET Core's request activity already continued the caller's trace.
            return current.Context;
        }
        var headers = HttpContext.Request.Headers;
        var traceParent = headers[GrpcProtocolConstants.TraceParentHeader].ToString();
        return traceParent.Length > 0 && ActivityContext.TryParse(traceParent, headers[GrpcProtocolConstants.TraceStateHeader].ToString(), out var parsed)
            ? parsed
            : default;
    }

    private static readonly string[] StatusCodeStrings = Enumerable.Range(0, 17).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    private static string FormatStatusCode(StatusCode code) =>
        (uint)code < (uint)StatusCodeStrings.Length ? StatusCodeStrings[(int)code] : ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Call {Method} was cancelled by the client.")]
        public static partial void CallCancelledByClient(ILogger logger, string method);

        [LoggerMessage(2, LogLevel.Information, "Call {Method} ended with status {StatusCode}: {Detail}")]
        public static partial void RpcExceptionThrown(ILogger logger, string method, StatusCode statusCode, string detail);

        [LoggerMessage(3, LogLevel.Error, "Error when executing service method {Method}.")]
        public static partial void HandlerError(ILogger logger, Exception exception, string method);

        [LoggerMessage(4, LogLevel.Debug, "Call {Method} exceeded its deadline.")]
        public static partial void DeadlineExceeded(ILogger logger, string method);

        [LoggerMessage(5, LogLevel.Debug, "The status of call {Method} could not be sent; the client is gone.")]
        public static partial void StatusNotSent(ILogger logger, Exception exception, string method);
    }
}
