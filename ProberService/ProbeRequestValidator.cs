using AspireProber.Prober.V1;
using AspireProber.ServiceDefaults;
using Microsoft.Extensions.Options;
using ProtoHttpMethod = AspireProber.Prober.V1.HttpMethod;

namespace AspireProber.ProberService;

/// <summary>Turns a <see cref="ProbeRequest"/> into a <see cref="ProbePlan"/>, or INVALID_ARGUMENT naming every bad field.</summary>
public sealed class ProbeRequestValidator(IOptions<ProberOptions> options)
{
    private readonly ProberOptions _options = options.Value;

    /// <summary>The plan for <paramref name="request"/>; throws an RpcException with google.rpc.BadRequest details.</summary>
    public ProbePlan Validate(ProbeRequest request)
    {
        var violations = new RequestViolations();
        var endpoint = ValidateEndpoint(request.Endpoint, _options.MaxEndpointLength, violations);

        if (request.Repetitions < 1 || request.Repetitions > _options.MaxRepetitions)
        {
            violations.Add("repetitions", $"must be from 1 to {_options.MaxRepetitions} (this server's maximum); got {request.Repetitions}.");
        }

        var timeout = _options.DefaultAttemptTimeout;
        if (request.AttemptTimeout is { } duration)
        {
            if (duration.Seconds < 0 || duration.Nanos < 0)
            {
                violations.Add("attempt_timeout", $"must not be negative; got {duration}. Leave it unset for the default ({_options.DefaultAttemptTimeout.TotalSeconds:0.###} s).");
            }
            else if (duration.Nanos >= 1_000_000_000 || duration.Seconds > Google.Protobuf.WellKnownTypes.Duration.MaxSeconds)
            {
                violations.Add("attempt_timeout", $"is not a valid duration (nanos must be below 1e9); got {duration}.");
            }
            else
            {
                timeout = duration.ToTimeSpan();
                if (timeout == TimeSpan.Zero || timeout > _options.MaxAttemptTimeout)
                {
                    violations.Add("attempt_timeout", $"must be above 0 and at most {_options.MaxAttemptTimeout.TotalSeconds:0.###} s; got {timeout.TotalSeconds:0.###} s.");
                }
            }
        }

        // The worst case must fit the server's bound, so a probe is refused before it runs rather than cut short.
        var worstCase = timeout * Math.Max(request.Repetitions, 0);
        if (violations.Count == 0 && worstCase > _options.MaxProbeDuration)
        {
            var why = $"repetitions × attempt_timeout = {request.Repetitions} × {timeout.TotalSeconds:0.###} s = {worstCase.TotalSeconds:0.###} s, beyond "
                + $"this server's bound of {_options.MaxProbeDuration.TotalSeconds:0.###} s per probe (Prober:MaxProbeDuration)";
            violations.Add("repetitions", $"{why}: ask for fewer repetitions, or a shorter attempt_timeout.");
            violations.Add("attempt_timeout", $"{why}: give a shorter attempt_timeout, or ask for fewer repetitions.");
        }

        for (var i = 0; i < request.AcceptedStatusCodes.Count; i++)
        {
            var code = request.AcceptedStatusCodes[i];
            if (code is < 100 or > 599)
            {
                violations.Add($"accepted_status_codes[{i}]", $"must be an HTTP status code from 100 to 599; got {code}.");
            }
        }

        var method = request.Method switch
        {
            ProtoHttpMethod.Unspecified or ProtoHttpMethod.Get => System.Net.Http.HttpMethod.Get,
            ProtoHttpMethod.Head => System.Net.Http.HttpMethod.Head,
            _ => null,
        };
        if (method is null)
        {
            violations.Add("method", $"must be HTTP_METHOD_GET or HTTP_METHOD_HEAD; got {(int)request.Method}.");
        }

        var mode = request.ConnectionMode == ConnectionMode.Unspecified ? ConnectionMode.Fresh : request.ConnectionMode;
        if (mode is not (ConnectionMode.Fresh or ConnectionMode.Reuse))
        {
            violations.Add("connection_mode", $"must be CONNECTION_MODE_FRESH or CONNECTION_MODE_REUSE; got {(int)request.ConnectionMode}.");
        }

        violations.ThrowIfAny("The probe request is invalid.");
        return new ProbePlan(endpoint!, request.Repetitions, timeout, request.AcceptedStatusCodes.ToHashSet(), method!, mode);
    }

    private static Uri? ValidateEndpoint(string endpoint, int maxLength, RequestViolations violations)
    {
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            violations.Add("endpoint", "is required: give an absolute http:// or https:// URL, e.g. http://127.0.0.1:5300/fast.");
            return null;
        }
        // Checked before parsing, and the value is not echoed: the error stays small whatever was sent.
        if (endpoint.Length > maxLength)
        {
            violations.Add("endpoint", $"must be at most {maxLength} characters (this server's Prober:MaxEndpointLength); got {endpoint.Length}.");
            return null;
        }
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.IsFile || uri.IsUnc)
        {
            violations.Add("endpoint", $"must be an absolute URL with a scheme and host, e.g. http://127.0.0.1:5300/fast; got '{TelemetryValues.Bound(endpoint)}'.");
            return null;
        }
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            violations.Add("endpoint", $"must use http or https; '{TelemetryValues.Bound(uri.Scheme)}' is not supported.");
            return null;
        }
        if (uri.Host.Length == 0)
        {
            violations.Add("endpoint", $"has no host; got '{TelemetryValues.Bound(endpoint)}'.");
            return null;
        }
        return uri;
    }
}
