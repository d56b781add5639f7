using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using RpcStatus = Google.Rpc.Status;
using StatusCode = Grpc.Core.StatusCode;

namespace AspireProber.ProberService;

/// <summary>The RPC errors of the prober (DESIGN §4), each with a message that says what to fix.</summary>
internal static class ProberErrors
{
    /// <summary>The error domain in google.rpc.ErrorInfo details.</summary>
    public const string Domain = "prober.v1";

    public static RpcException TargetBlocked(string reason) =>
        new RpcStatus
        {
            Code = (int)StatusCode.PermissionDenied,
            Message = $"The target is blocked by the prober's request-forgery guard: {reason}. Probe another host, or ask the operator to allow the range (Prober:Guard:Allow).",
            Details = { Any.Pack(new ErrorInfo { Reason = "TARGET_BLOCKED", Domain = Domain }) },
        }
        .ToRpcException();

    public static RpcException TooManyProbes(int limit) =>
        new(new Grpc.Core.Status(StatusCode.ResourceExhausted,
            $"This prober replica is already running its limit of {limit} concurrent probes (Prober:MaxConcurrentProbes); retry shortly or use another replica."));

    public static RpcException MissingApiKey() =>
        new(new Grpc.Core.Status(StatusCode.Unauthenticated, "This prober requires an API key: send the metadata 'authorization: Bearer <key>'."));

    public static RpcException WrongApiKey() =>
        new(new Grpc.Core.Status(StatusCode.Unauthenticated, "The API key in 'authorization: Bearer <key>' is not the one this prober is configured with (Prober:ApiKey)."));

    public static RpcException DeadlineExceeded(int attempt) =>
        new(new Grpc.Core.Status(StatusCode.DeadlineExceeded, $"The call's deadline passed during attempt {attempt}; give the call a later deadline or ask for fewer repetitions."));
}
