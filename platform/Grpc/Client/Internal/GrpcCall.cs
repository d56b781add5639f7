using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Grpc.Core;
using Grpc.Net.Compression;
using Grpc.Net.Diagnostics;
using Grpc.Shared;
using Microsoft.Extensions.Logging;

namespace Grpc.Net.Client.Internal;

/// <summary>
/// One client call of any shape, as in grpc-dotnet: it owns the call's cancellation (caller token, deadline timer,
/// Dispose), runs the attempts until one is committed (<c>GrpcCall.Attempts.cs</c>), moves messages
/// (<c>GrpcCall.Messages.cs</c>) and ends exactly once with a status. Ending with an error cancels everything in
/// flight, which resets the HTTP/2 stream, so nothing outlives the call.
/// </summary>
internal sealed partial class GrpcCall<TRequest, TResponse> where TRequest : class where TResponse : class
{
    private static readonly Status DisposedStatus = new(StatusCode.Cancelled, "gRPC call disposed.");

    private readonly GrpcChannel _channel;
    private readonly Uri? _pinnedAddress;
    private readonly Method<TRequest, TResponse> _method;
    private readonly MethodType _shape;
    private readonly CallOptions _options;
    private readonly DateTime? _deadline;
    private readonly ICompressionProvider? _requestCompression;
    private readonly ILogger _logger;
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();
    private readonly CancellationTokenSource _callCts = new();
    private readonly object _lock = new();
    private readonly TaskCompletionSource<Metadata> _responseHeadersTcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _committedOrFinishedTcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _finishedTcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<TResponse>? _responseTcs;
    private readonly StreamingRequestBody? _requestBody;

    // Status and trailers are published together, once, as one reference: readers on other threads never see half.
    private volatile CallOutcome? _outcome;
    private HttpRequestMessage? _request;
    private HttpResponseMessage? _response;
    private PipeReader? _responseReader;
    private MessageReadSettings _readSettings;
    private Timer? _deadlineTimer;
    private CancellationTokenRegistration _cancellationRegistration;
    private Activity? _activity;
    private int _messagesWritten;
    private int _messagesRead;

    public GrpcCall(GrpcChannel channel, Uri? pinnedAddress, Method<TRequest, TResponse> method, MethodType shape, CallOptions options)
    {
        _channel = channel;
        _pinnedAddress = pinnedAddress;
        _method = method;
        _shape = shape;
        _options = options;
        _logger = channel.CallLogger;
        _deadline = options.Deadline is { } deadline && deadline != DateTime.MaxValue ? deadline.ToUniversalTime() : null;
        _requestCompression = FindRequestCompression(channel, options.Headers);
        if (shape is MethodType.Unary or MethodType.ClientStreaming)
        {
            _responseTcs = new TaskCompletionSource<TResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        if (shape is MethodType.ClientStreaming or MethodType.DuplexStreaming)
        {
            _requestBody = new StreamingRequestBody();
        }
    }

    public AsyncUnaryCall<TResponse> StartUnary(TRequest request)
    {
        _ = RunAsync(request);
        return new AsyncUnaryCall<TResponse>(_responseTcs!.Task, _responseHeadersTcs.Task, GetStatus, GetTrailers, Dispose);
    }

    public AsyncServerStreamingCall<TResponse> StartServerStreaming(TRequest request)
    {
        _ = RunAsync(request);
        return new AsyncServerStreamingCall<TResponse>(new HttpContentClientStreamReader<TRequest, TResponse>(this), _responseHeadersTcs.Task, GetStatus, GetTrailers, Dispose);
    }

    public AsyncClientStreamingCall<TRequest, TResponse> StartClientStreaming()
    {
        _ = RunAsync(request: null);
        return new AsyncClientStreamingCall<TRequest, TResponse>(new HttpContentClientStreamWriter<TRequest, TResponse>(this), _responseTcs!.Task, _responseHeadersTcs.Task, GetStatus, GetTrailers, Dispose);
    }

    public AsyncDuplexStreamingCall<TRequest, TResponse> StartDuplexStreaming()
    {
        _ = RunAsync(request: null);
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(new HttpContentClientStreamWriter<TRequest, TResponse>(this),
            new HttpContentClientStreamReader<TRequest, TResponse>(this), _responseHeadersTcs.Task, GetStatus, GetTrailers, Dispose);
    }

    /// <summary>
    /// The call from start to commit (and, for single-response shapes, to the end). Being async, whatever it sets on
    /// the execution context (the client span as Activity.Current) stays inside the call and never leaks to the caller.
    /// </summary>
    private async Task RunAsync(TRequest? request)
    {
        _activity = GrpcDiagnostics.StartRpcActivity(GrpcDiagnostics.ClientActivitySource, _method, ActivityKind.Client, default);
        try
        {
            if (!TryPrepare(request, out var frame))
            {
                return;
            }
            if (await SendUntilCommittedAsync(frame).ConfigureAwait(false) && _responseTcs is not null)
            {
                await ReadSingleResponseAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            // Every expected failure is handled where it happens; this is the backstop that still ends the call.
            TryFinish(new Status(StatusCode.Internal, $"Error running the call: {ex.GetType().Name}: {ex.Message}", ex));
        }
    }

    /// <summary>Arms the deadline and the caller's token and frames a single request; false when the call already ended.</summary>
    private bool TryPrepare(TRequest? request, out ReadOnlyMemory<byte> frame)
    {
        frame = default;
        if (_options.CancellationToken.IsCancellationRequested)
        {
            TryFinish(GrpcProtocolConstants.Statuses.CancelledByClient);
            return false;
        }
        if (_deadline is { } deadline)
        {
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                // Already expired: fail without sending anything.
                TryFinish(GrpcProtocolConstants.Statuses.DeadlineExceeded);
                return false;
            }
            // A timer takes at most int.MaxValue ms (~24.8 days); a longer deadline is as good as none locally.
            if (remaining.TotalMilliseconds < int.MaxValue)
            {
                _deadlineTimer = new Timer(static state => ((GrpcCall<TRequest, TResponse>)state!).CancelCall(GrpcProtocolConstants.Statuses.DeadlineExceeded),
                    this, remaining, Timeout.InfiniteTimeSpan);
            }
        }
        if (_options.CancellationToken.CanBeCanceled)
        {
            _cancellationRegistration = _options.CancellationToken.UnsafeRegister(
                static state => ((GrpcCall<TRequest, TResponse>)state!).CancelCall(GrpcProtocolConstants.Statuses.CancelledByClient), this);
        }
        if (request is null)
        {
            return true;
        }

        var buffer = new ArrayBufferWriter<byte>();
        try
        {
            var compression = SkipsCompression(_options.WriteOptions) ? null : _requestCompression;
            MessageFraming.WriteMessage(buffer, request, _method.RequestMarshaller, compression, _channel.MaxSendMessageSize);
        }
        catch (Exception ex)
        {
            TryFinish(ex is RpcException rpc ? rpc.Status : new Status(StatusCode.Internal, "Failed to serialize the request message.", ex));
            return false;
        }
        frame = buffer.WrittenMemory;
        _messagesWritten = 1;
        return true;
    }

    /// <summary>Ends the call from outside (deadline, caller's token, Dispose): the first reason to end it wins.</summary>
    private void CancelCall(Status status) => TryFinish(status);

    /// <summary>
    /// Ends the call with its status, once: later calls return false. An error status cancels whatever is still in
    /// flight (resetting the stream); every task and awaiter of the call learns the outcome.
    /// </summary>
    private bool TryFinish(Status status, Metadata? trailers = null)
    {
        HttpRequestMessage? request;
        HttpResponseMessage? response;
        lock (_lock)
        {
            if (_outcome is not null)
            {
                return false;
            }
            _outcome = new CallOutcome(status, trailers ?? Metadata.Empty);
            request = _request;
            response = _response;
        }

        var ok = status.StatusCode == StatusCode.OK;
        if (!ok)
        {
            _callCts.Cancel();
            _requestBody?.Abort();
        }
        else
        {
            _requestBody?.Complete();
        }
        _deadlineTimer?.Dispose();
        _cancellationRegistration.Unregister();
        response?.Dispose();
        request?.Dispose();

        if (ok)
        {
            // A Trailers-Only response has no separate headers: they are the trailers.
            _responseHeadersTcs.TrySetResult(trailers ?? Metadata.Empty);
        }
        else
        {
            var exception = CreateRpcException(status);
            if (_responseHeadersTcs.TrySetException(exception))
            {
                // Few callers look at the headers of a failed call; don't report that as an unobserved exception.
                _ = _responseHeadersTcs.Task.Exception;
            }
            _responseTcs?.TrySetException(exception);
        }
        _committedOrFinishedTcs.TrySetResult();
        _finishedTcs.TrySetResult();
        RecordTelemetry(status);
        return true;
    }

    private void RecordTelemetry(Status status)
    {
        var tags = GrpcDiagnostics.RpcTags(_method, status.StatusCode);
        GrpcDiagnostics.ClientDuration.Record(Stopwatch.GetElapsedTime(_startTimestamp).TotalSeconds, tags);
        if (_shape != MethodType.Unary)
        {
            GrpcDiagnostics.ClientRequestsPerRpc.Record(Volatile.Read(ref _messagesWritten), tags);
            GrpcDiagnostics.ClientResponsesPerRpc.Record(Volatile.Read(ref _messagesRead), tags);
        }
        GrpcDiagnostics.StopRpcActivity(_activity, status, isServer: false);
        if (status.StatusCode != StatusCode.OK)
        {
            ClientLog.CallFailed(_logger, _method.FullName, status.StatusCode, status.Detail);
        }
    }

    private RpcException CreateRpcException(Status status) => new(status, _outcome?.Trailers ?? Metadata.Empty);

    private Status GetStatus() => _outcome?.Status ?? throw new InvalidOperationException("Unable to get the status because the call is not complete.");

    private Metadata GetTrailers() => _outcome?.Trailers ?? throw new InvalidOperationException("Can't get the call trailers because the call is not complete.");

    private void Dispose() => CancelCall(DisposedStatus);

    private static bool SkipsCompression(WriteOptions? options) => options is not null && (options.Flags & WriteFlags.NoCompress) != 0;

    private static ICompressionProvider? FindRequestCompression(GrpcChannel channel, Metadata? headers)
    {
        var encoding = headers?.Get(GrpcProtocolConstants.RequestEncodingMetadataKey)?.Value;
        if (encoding is null || encoding == GrpcProtocolConstants.IdentityEncoding)
        {
            return null;
        }
        return CompressionProviders.Find(channel.CompressionProviders, encoding)
            ?? throw new InvalidOperationException($"Could not find a compression provider for '{encoding}'. The channel supports: {channel.AcceptEncoding}.");
    }

    private sealed record CallOutcome(Status Status, Metadata Trailers);
}
