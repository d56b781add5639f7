namespace Aspire.Hosting.ApplicationModel;

/// <summary>How many copies of the resource run, each with its own ports, logs and state.</summary>
public sealed class ReplicaAnnotation(int replicas) : IResourceAnnotation
{
    /// <summary>The number of replicas (at least 1).</summary>
    public int Replicas { get; } = replicas >= 1 ? replicas : throw new ArgumentOutOfRangeException(nameof(replicas), replicas, "A resource runs at least one replica.");
}
