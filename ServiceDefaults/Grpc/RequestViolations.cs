using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using FieldViolation = Google.Rpc.BadRequest.Types.FieldViolation;

namespace AspireProber.ServiceDefaults;

/// <summary>
/// The bad fields of one request, collected so the caller learns about all of them at once, and thrown as
/// INVALID_ARGUMENT with a google.rpc.BadRequest detail: clients read the fields from the detail, people from the message.
/// </summary>
public sealed class RequestViolations
{
    private readonly BadRequest _badRequest = new();

    /// <summary>The violations so far.</summary>
    public IReadOnlyList<FieldViolation> Items => _badRequest.FieldViolations;

    /// <summary>Records that <paramref name="field"/> (its proto name, e.g. <c>probe.endpoint</c>) is wrong and what to do instead.</summary>
    public void Add(string field, string description) =>
        _badRequest.FieldViolations.Add(new FieldViolation { Field = field, Description = description });

    /// <summary>Throws INVALID_ARGUMENT when any violation was added; the message is <paramref name="summary"/> followed by each one.</summary>
    public void ThrowIfAny(string summary)
    {
        if (_badRequest.FieldViolations.Count == 0)
        {
            return;
        }
        var fields = string.Join("; ", _badRequest.FieldViolations.Select(v => $"{v.Field}: {v.Description}"));
        throw new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = $"{summary} {fields}",
            Details = { Any.Pack(_badRequest) },
        }.ToRpcException();
    }
}
