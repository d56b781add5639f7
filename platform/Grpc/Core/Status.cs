using System.Diagnostics;

namespace Grpc.Core;

/// <summary>The outcome of a call: a code, a human-readable detail, and (locally only) the exception behind it.</summary>
[DebuggerDisplay("{ToString(),nq}")]
public readonly struct Status : IEquatable<Status>
{
    /// <summary>The status of every successful call.</summary>
    public static readonly Status DefaultSuccess = new(StatusCode.OK, "");

    /// <summary>The status of a call the caller cancelled.</summary>
    public static readonly Status DefaultCancelled = new(StatusCode.Cancelled, "");

    /// <summary>Creates a status.</summary>
    public Status(StatusCode statusCode, string detail, Exception? debugException = null)
    {
        StatusCode = statusCode;
        Detail = detail ?? "";
        DebugException = debugException;
    }

    /// <summary>The status code.</summary>
    public StatusCode StatusCode { get; }

    /// <summary>The detail sent as grpc-message.</summary>
    public string Detail { get; }

    /// <summary>The local exception that caused this status; never sent over the wire.</summary>
    public Exception? DebugException { get; }

    /// <inheritdoc />
    public bool Equals(Status other) => StatusCode == other.StatusCode && Detail == other.Detail;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Status other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(StatusCode, Detail);

    /// <summary>Equality of code and detail.</summary>
    public static bool operator ==(Status left, Status right) => left.Equals(right);

    /// <summary>Inequality of code or detail.</summary>
    public static bool operator !=(Status left, Status right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString() => DebugException is null
        ? $"Status(StatusCode=\"{StatusCode}\", Detail=\"{Detail}\")"
        : $"Status(StatusCode=\"{StatusCode}\", Detail=\"{Detail}\", DebugException=\"{DebugException.GetType()}: {DebugException.Message}\")";
}
