namespace Grpc.Core;

/// <summary>A call that ended with a non-OK status, with the trailers the server sent.</summary>
public class RpcException : Exception
{
    /// <summary>Creates the exception for a status, with empty trailers.</summary>
    public RpcException(Status status) : this(status, Metadata.Empty, status.Detail) { }

    /// <summary>Creates the exception for a status and a message of its own.</summary>
    public RpcException(Status status, string message) : this(status, Metadata.Empty, message) { }

    /// <summary>Creates the exception for a status and the trailers to send (server) or received (client).</summary>
    public RpcException(Status status, Metadata trailers) : this(status, trailers, status.Detail) { }

    /// <summary>Creates the exception for a status, trailers and a message.</summary>
    public RpcException(Status status, Metadata trailers, string message)
        : base(FormatMessage(status, message), status.DebugException)
    {
        Status = status;
        Trailers = trailers ?? Metadata.Empty;
    }

    /// <summary>The status of the call.</summary>
    public Status Status { get; }

    /// <summary>The status code of the call.</summary>
    public StatusCode StatusCode => Status.StatusCode;

    /// <summary>The trailers: sent with the status on the server, received with it on the client.</summary>
    public Metadata Trailers { get; }

    private static string FormatMessage(Status status, string message) =>
        message == status.Detail ? $"Status(StatusCode=\"{status.StatusCode}\", Detail=\"{status.Detail}\")" : message;
}
