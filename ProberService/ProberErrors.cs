using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using RpcStatus = Google.Rpc.Status;
using StatusCode = Grpc.Core.StatusCode;

namespace AspireProber.ProberService;

/// <summary>
/// The RPC errors of the prober, each with the status code gRPC's spec gives the case and a message that says what to fix.
/// </summary>
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

    /// <summary>How soon a refused caller may try again: a probe of the demo's targets takes well under a second.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    public static RpcException TooManyProbes(int limit) => ResourceExhausted("REPLICA_BUSY",
        $"This prober replica is already running its limit of {limit} concurrent probes (Prober:MaxConcurrentProbes); retry shortly or use another replica.");

    public static RpcException TooManyProbesFromCaller(string caller, int limit) => ResourceExhausted("CALLER_LIMIT",
        $"{caller} is already running {limit} concurrent probes on this replica, the most one caller may (Prober:MaxConcurrentProbesPerCaller); "
        + "wait for one to finish, then retry.");

    private static RpcException ResourceExhausted(string reason, string message) =>
        AspireProber.ServiceDefaults.ResourceExhausted.Create(Domain, reason, message, RetryDelay);

    public static RpcException MissingApiKey() =>
        new(new Grpc.Core.Status(StatusCode.Unauthenticated, "This prober requires an API key: send the metadata 'authorization: Bearer <key>'."));

    public static RpcException WrongApiKey() =>
        new(new Grpc.Core.Status(StatusCode.Unauthenticated, "The API key in 'authorization: Bearer <key>' is not the one this prober is configured with (Prober:ApiKey)."));

    public static RpcException DeadlineExceeded(int attempt, TimeSpan maxProbeDuration) =>
        new(new Grpc.Core.Status(StatusCode.DeadlineExceeded,
            $"The probe's time ran out during attempt {attempt}: the call's deadline, or this server's bound of {maxProbeDuration.TotalSeconds:0.###} s "
            + "per probe (Prober:MaxProbeDuration), passed. Give the call a later deadline, or ask for fewer repetitions."));
}
