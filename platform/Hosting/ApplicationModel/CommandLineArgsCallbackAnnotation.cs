namespace Aspire.Hosting.ApplicationModel;

/// <summary>Adds command-line arguments to each replica's process; runs at every (re)start, after ports are allocated.</summary>
public sealed class CommandLineArgsCallbackAnnotation(Action<CommandLineArgsCallbackContext> callback) : IResourceAnnotation
{
    /// <summary>The callback.</summary>
    public Action<CommandLineArgsCallbackContext> Callback { get; } = callback;
}

/// <summary>What an args callback sees: the arguments so far and the replica they are for.</summary>
public sealed class CommandLineArgsCallbackContext(IResource resource, int replicaIndex, IList<string> args)
{
    /// <summary>The resource being started.</summary>
    public IResource Resource { get; } = resource;

    /// <summary>Which replica, from 0.</summary>
    public int ReplicaIndex { get; } = replicaIndex;

    /// <summary>The arguments.</summary>
    public IList<string> Args { get; } = args;

    /// <summary>This replica's address of endpoint <paramref name="endpointName"/> (e.g. to pass its port to an executable).</summary>
    public AllocatedEndpoint GetEndpoint(string endpointName) => Resource.GetAllocatedEndpoint(endpointName, ReplicaIndex);
}
