using AspireProber.Prober.V1;
using Grpc.Core;

namespace AspireProber.ProbeRunner;

/// <summary>What one prober replica answered in a fan-out: its reply or its error status, and how long the call took.</summary>
public sealed record ReplicaOutcome(Uri Address, ProbeReply? Reply, Status Status, TimeSpan Duration)
{
    /// <summary>The replica as metrics and logs name it: its address without a trailing slash, e.g. <c>http://127.0.0.1:5101</c>.</summary>
    public string Replica { get; } = NameOf(Address);

    /// <summary>True when the replica returned a reply.</summary>
    public bool IsSuccess => Status.StatusCode == StatusCode.OK;

    /// <summary>The name of a replica address, as <see cref="Replica"/>.</summary>
    public static string NameOf(Uri address) => address.GetLeftPart(UriPartial.Authority);
}
