using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Shared;

namespace Grpc.Core;

/// <summary>
/// Rich error details: a google.rpc.Status carried in the grpc-status-details-bin trailer, with typed details
/// such as google.rpc.BadRequest packed as Any.
/// </summary>
public static class RpcStatusExtensions
{
    /// <summary>An exception that sends this status: its code and message as grpc-status/grpc-message, the whole as details.</summary>
    public static RpcException ToRpcException(this Google.Rpc.Status status)
    {
        var trailers = new Metadata { { GrpcProtocolConstants.StatusDetailsTrailer, status.ToByteArray() } };
        return new RpcException(new Status((StatusCode)status.Code, status.Message), trailers);
    }

    /// <summary>The google.rpc.Status of a failed call, or null when the server sent none (or an unreadable one).</summary>
    public static Google.Rpc.Status? GetRpcStatus(this RpcException exception)
    {
        var bytes = exception.Trailers.Get(GrpcProtocolConstants.StatusDetailsTrailer)?.ValueBytes;
        if (bytes is null)
        {
            return null;
        }
        try
        {
            return Google.Rpc.Status.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    /// <summary>The first detail of type <typeparamref name="T"/>, or null.</summary>
    public static T? GetDetail<T>(this Google.Rpc.Status status) where T : class, IMessage<T>, new()
    {
        var descriptor = new T().Descriptor;
        foreach (var any in status.Details)
        {
            if (any.Is(descriptor))
            {
                return any.Unpack<T>();
            }
        }
        return null;
    }

    /// <summary>Adds a detail message, packed as Any.</summary>
    public static Google.Rpc.Status AddDetail(this Google.Rpc.Status status, IMessage detail)
    {
        status.Details.Add(Any.Pack(detail));
        return status;
    }
}
