namespace AspireProber.ProberService;

/// <summary>The <c>outcome</c> label values of attempt metrics.</summary>
public static class AttemptOutcome
{
    /// <summary>An accepted status and the whole body.</summary>
    public const string Success = "success";

    /// <summary>A response whose status is not accepted (or too many redirects).</summary>
    public const string HttpError = "http_error";

    /// <summary>The attempt's own timeout passed.</summary>
    public const string Timeout = "timeout";

    /// <summary>No response: refused, reset, name not resolved, TLS failed, body cut short.</summary>
    public const string ConnectionError = "connection_error";

    /// <summary>The request-forgery guard stopped it (a redirect or resolved address is denied); the call fails with PERMISSION_DENIED.</summary>
    public const string Blocked = "blocked";

    /// <summary>The call ended (deadline or client cancellation) while the attempt ran.</summary>
    public const string Cancelled = "cancelled";
}
