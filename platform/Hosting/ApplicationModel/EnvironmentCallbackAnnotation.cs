namespace Aspire.Hosting.ApplicationModel;

/// <summary>Adds environment variables to each replica's process; runs at every (re)start, after ports are allocated.</summary>
public sealed class EnvironmentCallbackAnnotation(Action<EnvironmentCallbackContext> callback) : IResourceAnnotation
{
    /// <summary>An annotation that sets one variable, its value computed at start.</summary>
    public EnvironmentCallbackAnnotation(string name, Func<string?> value) : this(context => context.EnvironmentVariables[name] = value())
    {
    }

    /// <summary>The callback.</summary>
    public Action<EnvironmentCallbackContext> Callback { get; } = callback;
}

/// <summary>What an environment callback sees: the variables so far and the replica they are for.</summary>
public sealed class EnvironmentCallbackContext(IResource resource, int replicaIndex, IDictionary<string, string?> environmentVariables)
{
    /// <summary>The resource being started.</summary>
    public IResource Resource { get; } = resource;

    /// <summary>Which replica, from 0.</summary>
    public int ReplicaIndex { get; } = replicaIndex;

    /// <summary>The variables; a null value removes one inherited from the AppHost.</summary>
    public IDictionary<string, string?> EnvironmentVariables { get; } = environmentVariables;
}
