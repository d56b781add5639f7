using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using FieldViolation = Google.Rpc.BadRequest.Types.FieldViolation;

namespace AspireProber.ServiceDefaults;

/// <summary>
/// The bad fields of one request, collected so the caller learns about all of them at once, and thrown as
/// INVALID_ARGUMENT with a google.rpc.BadRequest detail: clients read the fields from the detail, people from the message.
/// </summary>
/// <remarks>
/// At most <see cref="MaxReported"/> violations are reported, then how many more there were: a request with a
/// hundred thousand bad list items must not get an error message (a header) megabytes long. Descriptions that echo
/// what the caller sent bound it with <see cref="TelemetryValues.Bound"/>.
/// </remarks>
public sealed class RequestViolations
{
    /// <summary>How many violations the error names; the rest are counted.</summary>
    public const int MaxReported = 10;

    private readonly BadRequest _badRequest = new();
    private int _count;

    /// <summary>How many violations were added, reported or not.</summary>
    public int Count => _count;

    /// <summary>The violations the error will name (at most <see cref="MaxReported"/>).</summary>
    public IReadOnlyList<FieldViolation> Items => _badRequest.FieldViolations;

    /// <summary>Records that <paramref name="field"/> (its proto name, e.g. <c>probe.endpoint</c>) is wrong and what to do instead.</summary>
    public void Add(string field, string description)
    {
        if (++_count <= MaxReported)
        {
            _badRequest.FieldViolations.Add(new FieldViolation { Field = field, Description = description });
        }
    }

    /// <summary>Throws INVALID_ARGUMENT when any violation was added; the message is <paramref name="summary"/> followed by each one.</summary>
    public void ThrowIfAny(string summary)
    {
        if (_count == 0)
        {
            return;
        }
        var fields = string.Join("; ", _badRequest.FieldViolations.Select(v => $"{v.Field}: {v.Description}"));
        var more = _count > MaxReported ? $"; and {_count - MaxReported} more" : "";
        throw new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = $"{summary} {fields}{more}",
            Details = { Any.Pack(_badRequest) },
        }.ToRpcException();
    }
}
