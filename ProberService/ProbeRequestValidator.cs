using AspireProber.Prober.V1;
using Google.Rpc;
using Microsoft.Extensions.Options;
using FieldViolation = Google.Rpc.BadRequest.Types.FieldViolation;
using ProtoHttpMethod = AspireProber.Prober.V1.HttpMethod;

namespace AspireProber.ProberService;

/// <summary>Turns a <see cref="ProbeRequest"/> into a <see cref="ProbePlan"/>, or INVALID_ARGUMENT naming every bad field.</summary>
public sealed class ProbeRequestValidator(IOptions<ProberOptions> options)
{
    private readonly ProberOptions _options = options.Value;

    /// <summary>The plan for <paramref name="request"/>; throws an RpcException with google.rpc.BadRequest details.</summary>
    public ProbePlan Validate(ProbeRequest request)
    {
        var violations = new List<FieldViolation>();
        var endpoint = ValidateEndpoint(request.Endpoint, violations);

        if (request.Repetitions < 1 || request.Repetitions > _options.MaxRepetitions)
        {
            Add(violations, "repetitions", $"must be from 1 to {_options.MaxRepetitions} (this server's maximum); got {request.Repetitions}.");
        }

        var timeout = _options.DefaultAttemptTimeout;
        if (request.AttemptTimeout is { } duration)
        {
            if (duration.Seconds < 0 || duration.Nanos < 0)
            {
                Add(violations, "attempt_timeout", $"must not be negative; got {duration}. Leave it unset for the default ({_options.DefaultAttemptTimeout.TotalSeconds:0.###} s).");
            }
            else if (duration.Nanos >= 1_000_000_000 || duration.Seconds > Google.Protobuf.WellKnownTypes.Duration.MaxSeconds)
            {
                Add(violations, "attempt_timeout", $"is not a valid duration (nanos must be below 1e9); got {duration}.");
            }
            else
            {
                timeout = duration.ToTimeSpan();
                if (timeout == TimeSpan.Zero || timeout > _options.MaxAttemptTimeout)
                {
                    Add(violations, "attempt_timeout", $"must be above 0 and at most {_options.MaxAttemptTimeout.TotalSeconds:0.###} s; got {timeout.TotalSeconds:0.###} s.");
                }
            }
        }

        for (var i = 0; i < request.AcceptedStatusCodes.Count; i++)
        {
            var code = request.AcceptedStatusCodes[i];
            if (code is < 100 or > 599)
            {
                Add(violations, $"accepted_status_codes[{i}]", $"must be an HTTP status code from 100 to 599; got {code}.");
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
            Add(violations, "method", $"must be HTTP_METHOD_GET or HTTP_METHOD_HEAD; got {(int)request.Method}.");
        }

        var mode = request.ConnectionMode == ConnectionMode.Unspecified ? ConnectionMode.Fresh : request.ConnectionMode;
        if (mode is not (ConnectionMode.Fresh or ConnectionMode.Reuse))
        {
            Add(violations, "connection_mode", $"must be CONNECTION_MODE_FRESH or CONNECTION_MODE_REUSE; got {(int)request.ConnectionMode}.");
        }

        if (violations.Count > 0)
        {
            throw ProberErrors.InvalidArgument(violations);
        }
        return new ProbePlan(endpoint!, request.Repetitions, timeout, request.AcceptedStatusCodes.ToHashSet(), method!, mode);
    }

    private static Uri? ValidateEndpoint(string endpoint, List<FieldViolation> violations)
    {
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            Add(violations, "endpoint", "is required: give an absolute http:// or https:// URL, e.g. http://127.0.0.1:5300/fast.");
            return null;
        }
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.IsFile || uri.IsUnc)
        {
            Add(violations, "endpoint", $"must be an absolute URL with a scheme and host, e.g. http://127.0.0.1:5300/fast; got '{endpoint}'.");
            return null;
        }
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            Add(violations, "endpoint", $"must use http or https; '{uri.Scheme}' is not supported.");
            return null;
        }
        if (uri.Host.Length == 0)
        {
            Add(violations, "endpoint", $"has no host; got '{endpoint}'.");
            return null;
        }
        return uri;
    }

    private static void Add(List<FieldViolation> violations, string field, string description) =>
        violations.Add(new FieldViolation { Field = field, Description = description });
}
