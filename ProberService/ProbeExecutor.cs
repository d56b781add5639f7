using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using AspireProber.Prober.V1;
using AspireProber.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace AspireProber.ProberService;

/// <summary>
/// Runs a probe's attempts one after another. Each attempt is bounded by its timeout and by the call's deadline,
/// and cancelled with the call, so no HTTP request outlives the RPC. TTFB is the time to the final response's
/// headers, latency the time to the end of its body (both from the start of the attempt, redirects included).
/// </summary>
public sealed class ProbeExecutor(ProbeHandlerFactory handlers, TargetGuard guard, ProberMetrics metrics, ReplicaIdentity replica, IOptions<ProberOptions> options)
{
    /// <summary>The ActivitySource of the per-attempt spans (children of the RPC's span; HttpClient's spans nest under them).</summary>
    public const string ActivitySourceName = "AspireProber.Prober";

    private static readonly ActivitySource Source = new(ActivitySourceName);
    private readonly int _maxRedirects = options.Value.MaxRedirects;
    private readonly TimeSpan _maxProbeDuration = options.Value.MaxProbeDuration;

    /// <summary>
    /// The attempts of <paramref name="plan"/> as each completes. Throws an RpcException with DEADLINE_EXCEEDED when
    /// <paramref name="deadlineUtc"/> passes, PERMISSION_DENIED when a redirect or resolved address is blocked, and
    /// OperationCanceledException when <paramref name="cancellationToken"/> fires.
    /// </summary>
    public async IAsyncEnumerable<ProbeAttempt> RunAsync(ProbePlan plan, string endpointLabel, DateTime deadlineUtc,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // REUSE: one handler (one connection pool) for the probe. FRESH: a handler per attempt, disposed right
        // after it, so each attempt pays for DNS and the TCP/TLS handshakes as blackbox_exporter's do.
        var shared = plan.Mode == ConnectionMode.Reuse ? handlers.Create() : null;
        try
        {
            for (var number = 1; number <= plan.Repetitions; number++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ProbeAttempt attempt;
                if (shared is not null)
                {
                    attempt = await RunAttemptAsync(shared, plan, number, endpointLabel, deadlineUtc, cancellationToken);
                }
                else
                {
                    using var fresh = handlers.Create();
                    attempt = await RunAttemptAsync(fresh, plan, number, endpointLabel, deadlineUtc, cancellationToken);
                }
                yield return attempt;
            }
        }
        finally
        {
            shared?.Dispose();
        }
    }

    private async Task<ProbeAttempt> RunAttemptAsync(HttpMessageHandler handler, ProbePlan plan, int number, string endpointLabel,
        DateTime deadlineUtc, CancellationToken callToken)
    {
        var timeLeft = deadlineUtc == DateTime.MaxValue ? Timeout.InfiniteTimeSpan : deadlineUtc - DateTime.UtcNow;
        var boundByDeadline = timeLeft != Timeout.InfiniteTimeSpan && timeLeft < plan.AttemptTimeout;
        var limit = boundByDeadline ? timeLeft : plan.AttemptTimeout;
        if (limit <= TimeSpan.Zero)
        {
            throw ProberErrors.DeadlineExceeded(number, _maxProbeDuration);
        }

        using var activity = Source.StartActivity("prober.attempt");
        activity?.SetTag("url.full", plan.SafeEndpoint);
        activity?.SetTag("prober.attempt", number);
        using var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(callToken);
        attemptCts.CancelAfter(limit);
        using var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
        var start = Stopwatch.GetTimestamp();
        var attempt = new ProbeAttempt { Attempt = number, Replica = replica.Id };
        string outcome;
        try
        {
            outcome = await SendAsync(invoker, plan, attempt, start, attemptCts.Token);
        }
        catch (OperationCanceledException) when (!callToken.IsCancellationRequested && attemptCts.IsCancellationRequested)
        {
            if (boundByDeadline)
            {
                Record(AttemptOutcome.Cancelled);
                throw ProberErrors.DeadlineExceeded(number, _maxProbeDuration);
            }
            outcome = Fail(attempt, AttemptOutcome.Timeout, $"timed out after {limit.TotalMilliseconds:0} ms");
        }
        catch (OperationCanceledException)
        {
            Record(AttemptOutcome.Cancelled);
            throw;
        }
        catch (Exception ex) when (FindBlocked(ex) is { } blocked)
        {
            Record(AttemptOutcome.Blocked);
            throw ProberErrors.TargetBlocked(blocked.Reason);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            outcome = Fail(attempt, AttemptOutcome.ConnectionError, Describe(ex));
        }

        Record(outcome);
        activity?.SetTag("http.response.status_code", attempt.StatusCode == 0 ? null : attempt.StatusCode);
        if (!attempt.Success)
        {
            activity?.SetStatus(ActivityStatusCode.Error, attempt.FailureReason);
        }
        return attempt;

        // Every way out of an attempt is counted and tagged, including the ones that end the call.
        void Record(string result)
        {
            metrics.RecordAttempt(endpointLabel, result, Stopwatch.GetElapsedTime(start));
            activity?.SetTag("prober.outcome", result);
            if (result is AttemptOutcome.Cancelled or AttemptOutcome.Blocked)
            {
                activity?.SetStatus(ActivityStatusCode.Error, result);
            }
        }
    }

    /// <summary>Sends the request, following redirects through the guard, and fills <paramref name="attempt"/> in; returns the outcome.</summary>
    private async Task<string> SendAsync(HttpMessageInvoker invoker, ProbePlan plan, ProbeAttempt attempt, long start, CancellationToken cancellationToken)
    {
        var uri = plan.Endpoint;
        for (var redirects = 0; ; redirects++)
        {
            using var request = new HttpRequestMessage(plan.Method, uri)
            {
                // HTTP/2 where the server offers it over TLS (ALPN); cleartext targets get HTTP/1.1.
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            };
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue("AspireProber", "1.0"));
            // A FRESH attempt's connection is not used again: saying so lets the target close it first, so the closed
            // socket's TIME_WAIT is kept on the target's side instead of taking one of this machine's ephemeral
            // ports per attempt (bench/README.md has the figures).
            request.Headers.ConnectionClose = plan.Mode == ConnectionMode.Fresh;
            using var response = await invoker.SendAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            if (IsRedirect(status) && response.Headers.Location is { } location && redirects < _maxRedirects)
            {
                // The target chose the Location: one that does not combine into a URL fails this attempt, it does not
                // escape as an exception (the caller would get UNKNOWN).
                if (!Uri.TryCreate(uri, location, out var next))
                {
                    return Fail(attempt, AttemptOutcome.HttpError, $"status {status} redirects to '{TelemetryValues.Bound(location.OriginalString)}', which is not a URL");
                }
                uri = next;
                if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                {
                    return Fail(attempt, AttemptOutcome.HttpError, $"status {status} redirects to unsupported scheme '{TelemetryValues.Bound(uri.Scheme)}'");
                }
                if (guard.CheckHost(uri.DnsSafeHost) is { } reason)
                {
                    throw new TargetBlockedException($"a redirect leads to {reason}");
                }
                continue;
            }

            attempt.TimeToFirstByteMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            attempt.BodyBytes = await ReadToEndAsync(response.Content, cancellationToken);
            attempt.LatencyMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            attempt.StatusCode = status;
            attempt.Success = plan.Accepts(status);
            if (attempt.Success)
            {
                return AttemptOutcome.Success;
            }
            attempt.FailureReason = IsRedirect(status) && redirects == _maxRedirects
                ? $"status {status} after {_maxRedirects} redirects (the most followed)"
                : $"status {status}";
            return AttemptOutcome.HttpError;
        }
    }

    private static async Task<long> ReadToEndAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var body = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                total += read;
            }
            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool IsRedirect(int status) => status is 301 or 302 or 303 or 307 or 308;

    /// <summary>Marks the attempt failed without a complete response: no status, no latency (they would mislead the statistics).</summary>
    private static string Fail(ProbeAttempt attempt, string outcome, string reason)
    {
        attempt.StatusCode = 0;
        attempt.LatencyMs = 0;
        attempt.TimeToFirstByteMs = 0;
        attempt.Success = false;
        attempt.FailureReason = reason;
        return outcome;
    }

    private static TargetBlockedException? FindBlocked(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is TargetBlockedException blocked)
            {
                return blocked;
            }
        }
        return null;
    }

    /// <summary>A short, stable reason (it is also what groups failures in the reply), without addresses or ports.</summary>
    private static string Describe(Exception exception)
    {
        var socketError = (exception.InnerException as SocketException ?? exception.InnerException?.InnerException as SocketException)?.SocketErrorCode;
        return (exception as HttpRequestException)?.HttpRequestError switch
        {
            _ when socketError == SocketError.ConnectionRefused => "connection refused",
            _ when socketError is SocketError.HostNotFound or SocketError.NoData => "host name not resolved",
            HttpRequestError.NameResolutionError => "host name not resolved",
            HttpRequestError.SecureConnectionError => "TLS handshake failed",
            HttpRequestError.ConnectionError => socketError is { } error ? $"connection failed ({error})" : "connection failed",
            HttpRequestError.ResponseEnded => "connection closed before the response ended",
            HttpRequestError.InvalidResponse => "invalid HTTP response",
            HttpRequestError.HttpProtocolError => "HTTP protocol error",
            _ when exception is IOException => "connection closed while reading the body",
            _ => exception.Message,
        };
    }
}
