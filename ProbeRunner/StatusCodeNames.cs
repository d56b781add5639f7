using Grpc.Core;

namespace AspireProber.ProbeRunner;

/// <summary>The canonical names of gRPC status codes (doc/statuscodes.md), e.g. <c>DEADLINE_EXCEEDED</c>.</summary>
public static class StatusCodeNames
{
    // Indexed by code; the spec's spelling, which StatusCode.ToString() ("DeadlineExceeded") is not.
    private static readonly string[] Names =
    [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
        "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ];

    /// <summary>The name of <paramref name="code"/>, or its number when it is not a known code.</summary>
    public static string Of(StatusCode code) => (uint)code < (uint)Names.Length ? Names[(int)code] : ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
