using AspireProber.Prober.V1;
using Grpc.Core;

namespace AspireProber.ProbeRunner.Cli;

/// <summary>What one replica streamed to the CLI: its attempts, or the status its call failed with.</summary>
public sealed record ReplicaAttempts(Uri Address, IReadOnlyList<ProbeAttempt>? Attempts, Status Status);
