namespace Aspire.Hosting.ApplicationModel;

/// <summary>A new snapshot of replica <paramref name="ReplicaIndex"/> of <paramref name="Resource"/>.</summary>
public sealed record ResourceEvent(IResource Resource, int ReplicaIndex, ResourceSnapshot Snapshot)
{
    /// <summary><c>{resource}-{index}</c>.</summary>
    public string ReplicaName => Resource.GetReplicaName(ReplicaIndex);
}
