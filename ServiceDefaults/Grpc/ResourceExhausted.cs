using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace AspireProber.ServiceDefaults;

/// <summary>The refusal every one of our limits gives: RESOURCE_EXHAUSTED, with when to retry and which limit it was.</summary>
public static class ResourceExhausted
{
    /// <summary>
    /// RESOURCE_EXHAUSTED with <paramref name="message"/>, a google.rpc.RetryInfo (when to try again, which clients
    /// and people read) and a google.rpc.ErrorInfo naming the limit (<paramref name="reason"/> in <paramref name="domain"/>),
    /// which a client can switch on without parsing the message.
    /// </summary>
    public static RpcException Create(string domain, string reason, string message, TimeSpan retryAfter) =>
        new Google.Rpc.Status
        {
            Code = (int)Code.ResourceExhausted,
            Message = message,
            Details =
            {
                Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(retryAfter) }),
                Any.Pack(new ErrorInfo { Reason = reason, Domain = domain }),
            },
        }.ToRpcException();
}
