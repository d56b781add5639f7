using Grpc.Core;

namespace Grpc.Net.Client;

/// <summary>What one address answered in <see cref="GrpcChannel.FanOutAsync{TResponse}"/>: its response or its error.</summary>
public sealed class FanOutResult<TResponse>
{
    internal FanOutResult(Uri address, TResponse? response, RpcException? error)
    {
        Address = address;
        Response = response;
        Error = error;
    }

    /// <summary>The address the call went to.</summary>
    public Uri Address { get; }

    /// <summary>The response; default when the call failed.</summary>
    public TResponse? Response { get; }

    /// <summary>Why the call failed; null when it succeeded.</summary>
    public RpcException? Error { get; }

    /// <summary>The call's status: OK, or the error's.</summary>
    public Status Status => Error?.Status ?? Status.DefaultSuccess;

    /// <summary>True when the call returned a response.</summary>
    public bool IsSuccess => Error is null;

    /// <inheritdoc />
    public override string ToString() => $"{Address}: {(IsSuccess ? "OK" : Error!.Status.ToString())}";
}
