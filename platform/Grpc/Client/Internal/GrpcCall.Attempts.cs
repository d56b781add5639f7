using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using Grpc.Core;
using Grpc.Net.Compression;
using Grpc.Shared;

namespace Grpc.Net.Client.Internal;

/// <summary>
/// Attempts of a call: pick an address, send, and either commit to the response or decide what next. A connection
/// that never opened sent nothing, so the call moves to another address at once; other failures go through the retry
/// policy. A call is committed (gRFC A6) once response headers arrive that are not a Trailers-Only status: from then on
/// its messages are the caller's and it is never retried.
/// </summary>
internal sealed partial class GrpcCall<TRequest, TResponse>
{
    private const string UserAgent = "grpc-dotnet-aspireprober/1.0";

    /// <summary>Sends attempts until one is committed (true) or the call has ended (false).</summary>
    private async Task<bool> SendUntilCommittedAsync(ReadOnlyMemory<byte> frame)
    {
        var retry = _shape is MethodType.Unary or MethodType.ServerStreaming && _channel.GetRetryPolicy(_method) is { } policy
            ? new RetryBackoff(policy, _channel.MaxRetryAttempts)
            : null;
        var tried = new List<Uri>();
        var attempts = 0;
        while (_outcome is null)
        {
            var address = PickAddress(tried);
            var attempt = address is null
                ? Attempt.Failed(new Status(StatusCode.Unavailable, _channel.Balancer.DescribeUnavailable(_pinnedAddress is null ? _channel.Addresses : [_pinnedAddress])))
                : await SendAttemptAsync(address, frame, attempts).ConfigureAwait(false);
            switch (attempt.Outcome)
            {
                case AttemptOutcome.Committed:
                    return true;
                case AttemptOutcome.Ended:
                    return false;
                case AttemptOutcome.NotConnected:
                    tried.Add(address!);
                    continue;
            }

            attempts++;
            var status = attempt.Status;
            if (retry is not null && retry.ShouldRetry(status, attempt.Trailers, attempts, out var delay) && FitsBeforeDeadline(delay))
            {
                ClientLog.Retrying(_logger, _method.FullName, attempts, status.StatusCode, delay.TotalMilliseconds);
                tried.Clear();
                try
                {
                    await Task.Delay(delay, _callCts.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
                continue;
            }
            TryFinish(status, attempt.Trailers);
        }
        return false;
    }

    /// <summary>One attempt on one address, up to its response headers.</summary>
    private async Task<Attempt> SendAttemptAsync(Uri address, ReadOnlyMemory<byte> frame, int previousAttempts)
    {
        var request = CreateRequest(address, frame, previousAttempts);
        HttpResponseMessage response;
        try
        {
            response = await _channel.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _callCts.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            request.Dispose();
            if (_callCts.IsCancellationRequested)
            {
                return Attempt.Ended; // Ended by the deadline, the caller or Dispose, with that reason.
            }
            if (GrpcResponseStatus.IsConnectFailure(ex))
            {
                // Nothing reached the server: another address is always safe, and moving there is not a retry.
                var reason = GrpcResponseStatus.DescribeConnectFailure(ex);
                _channel.Balancer.ReportConnectFailure(address, reason);
                ClientLog.ConnectFailed(_logger, address, reason);
                return Attempt.NotConnected;
            }
            return Attempt.Failed(GrpcResponseStatus.FromTransportException(ex, "Error starting gRPC call"));
        }

        _channel.Balancer.ReportConnected(address);
        if (GrpcResponseStatus.ValidateHeaders(response, out var trailers) is not { } status)
        {
            return await CommitAsync(request, response).ConfigureAwait(false) ? Attempt.Committed : Attempt.Ended;
        }
        response.Dispose();
        request.Dispose();
        return Attempt.Failed(status, trailers);
    }

    private Uri? PickAddress(List<Uri> tried)
    {
        if (_pinnedAddress is not null)
        {
            // A pinned call (fan-out) goes where it was sent, skipped or not.
            return tried.Contains(_pinnedAddress) ? null : _pinnedAddress;
        }
        return _channel.Balancer.Pick(tried);
    }

    private bool FitsBeforeDeadline(TimeSpan delay) => _deadline is not { } deadline || DateTime.UtcNow + delay < deadline;

    /// <summary>Makes the response the call's: its headers are published and its messages can be read.</summary>
    private async Task<bool> CommitAsync(HttpRequestMessage request, HttpResponseMessage response)
    {
        var encoding = response.Headers.TryGetValues(GrpcProtocolConstants.MessageEncodingHeader, out var values) ? values.FirstOrDefault() : null;
        var decompressor = encoding is null or GrpcProtocolConstants.IdentityEncoding ? null : CompressionProviders.Find(_channel.CompressionProviders, encoding);
        _readSettings = new MessageReadSettings(_channel.MaxReceiveMessageSize, encoding, decompressor);
        Stream stream;
        try
        {
            stream = await response.Content.ReadAsStreamAsync(_callCts.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            response.Dispose();
            request.Dispose();
            TryFinish(GrpcResponseStatus.FromTransportException(ex, "Error reading the response"));
            return false;
        }

        lock (_lock)
        {
            if (_outcome is not null)
            {
                // Ended while the headers arrived: the response would otherwise stay open.
                response.Dispose();
                request.Dispose();
                return false;
            }
            _request = request;
            _response = response;
            _responseReader = PipeReader.Create(stream);
        }
        _responseHeadersTcs.TrySetResult(GrpcResponseStatus.ReadMetadata(response.Headers));
        _committedOrFinishedTcs.TrySetResult();
        return true;
    }

    private HttpRequestMessage CreateRequest(Uri address, ReadOnlyMemory<byte> frame, int previousAttempts)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, _method.FullName))
        {
            // h2c with prior knowledge for http://, ALPN h2 for https://: gRPC never falls back to HTTP/1.1.
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = _requestBody is null ? new FramedMessageContent(frame) : new StreamingRequestContent(_requestBody),
        };
        var headers = request.Headers;
        headers.TryAddWithoutValidation(GrpcProtocolConstants.TEHeader, GrpcProtocolConstants.TEHeaderValue);
        headers.TryAddWithoutValidation(GrpcProtocolConstants.UserAgentHeader, UserAgent);
        headers.TryAddWithoutValidation(GrpcProtocolConstants.MessageAcceptEncodingHeader, _channel.AcceptEncoding);
        if (_requestCompression is not null)
        {
            headers.TryAddWithoutValidation(GrpcProtocolConstants.MessageEncodingHeader, _requestCompression.EncodingName);
        }
        if (_deadline is { } deadline)
        {
            headers.TryAddWithoutValidation(GrpcProtocolConstants.TimeoutHeader, GrpcTimeout.Format(deadline - DateTime.UtcNow));
        }
        if (previousAttempts > 0)
        {
            headers.TryAddWithoutValidation(RetryBackoff.PreviousAttemptsHeader, previousAttempts.ToString(CultureInfo.InvariantCulture));
        }
        if (_options.Headers is { } metadata)
        {
            foreach (var entry in metadata)
            {
                // The request-encoding key only selects grpc-encoding; protocol headers are the transport's.
                if (entry.Key != GrpcProtocolConstants.RequestEncodingMetadataKey && !GrpcProtocolConstants.IsReservedHeader(entry.Key))
                {
                    headers.TryAddWithoutValidation(entry.Key, MetadataHeaders.EncodeValue(entry));
                }
            }
        }
        // Our client span when someone listens, otherwise whatever span the caller is in: the trace continues either way.
        if ((_activity ?? Activity.Current) is { IdFormat: ActivityIdFormat.W3C, Id: { } traceParent } activity)
        {
            headers.TryAddWithoutValidation(GrpcProtocolConstants.TraceParentHeader, traceParent);
            if (activity.TraceStateString is { Length: > 0 } traceState)
            {
                headers.TryAddWithoutValidation(GrpcProtocolConstants.TraceStateHeader, traceState);
            }
        }
        return request;
    }

    private enum AttemptOutcome
    {
        /// <summary>The response is the call's now.</summary>
        Committed,
        /// <summary>The call ended meanwhile (deadline, cancellation) or while committing.</summary>
        Ended,
        /// <summary>The connection never opened; nothing was sent.</summary>
        NotConnected,
        /// <summary>The attempt ended with <see cref="Attempt.Status"/>: retry or finish.</summary>
        Failed,
    }

    private readonly record struct Attempt(AttemptOutcome Outcome, Status Status, Metadata? Trailers)
    {
        public static Attempt Committed => new(AttemptOutcome.Committed, default, null);
        public static Attempt Ended => new(AttemptOutcome.Ended, default, null);
        public static Attempt NotConnected => new(AttemptOutcome.NotConnected, default, null);
        public static Attempt Failed(Status status, Metadata? trailers = null) => new(AttemptOutcome.Failed, status, trailers);
    }
}
