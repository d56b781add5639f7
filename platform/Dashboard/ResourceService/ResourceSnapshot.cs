using Aspire.DashboardService.Proto.V1;
using AspireProber.Dashboard.Components.Live;

namespace AspireProber.Dashboard.ResourceService;

/// <summary>
/// The resources as the resource service last described them: the initial data, then each upsert and deletion applied
/// in order. Every change publishes <see cref="LiveUpdates.ResourcesTopic"/>. Readers get immutable copies.
/// </summary>
public sealed class ResourceSnapshot(LiveUpdates live)
{
    private readonly Lock _lock = new();
    private Dictionary<string, Resource> _resources = new(StringComparer.Ordinal);
    private Dictionary<string, ResourceType> _types = new(StringComparer.Ordinal);

    /// <summary>The application's name from the resource service, once known.</summary>
    public string? ApplicationName { get; private set; }

    /// <summary>The connection's state.</summary>
    public ResourceServiceConnection Connection { get; private set; } = ResourceServiceConnection.Standalone;

    /// <summary>Why the last attempt to watch resources failed, while reconnecting.</summary>
    public string? LastError { get; private set; }

    /// <summary>Every visible resource, ordered by model name then replica index.</summary>
    public IReadOnlyList<Resource> GetResources()
    {
        lock (_lock)
        {
            return _resources.Values.Where(r => !r.IsHidden).OrderBy(r => r.DisplayName, StringComparer.Ordinal)
                .ThenBy(ResourceFacts.ReplicaIndex).ThenBy(r => r.Name, StringComparer.Ordinal).ToArray();
        }
    }

    /// <summary>The resource (or replica) named <paramref name="name"/>, or null.</summary>
    public Resource? Find(string name)
    {
        lock (_lock)
        {
            return _resources.GetValueOrDefault(name);
        }
    }

    /// <summary>The commands a resource offers: its own, else those of its type.</summary>
    public IReadOnlyList<ResourceCommand> CommandsOf(Resource resource)
    {
        if (resource.Commands.Count > 0)
        {
            return resource.Commands;
        }
        lock (_lock)
        {
            return _types.TryGetValue(resource.ResourceType, out var type) ? type.Commands : [];
        }
    }

    internal void SetApplicationName(string name)
    {
        ApplicationName = name;
        live.Publish(LiveUpdates.ResourcesTopic);
    }

    internal void SetConnection(ResourceServiceConnection connection, string? error = null)
    {
        Connection = connection;
        LastError = error;
        live.Publish(LiveUpdates.ResourcesTopic);
    }

    internal void ApplyInitialData(InitialResourceData data)
    {
        var resources = data.Resources.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var types = data.ResourceTypes.ToDictionary(t => t.UniqueName, StringComparer.Ordinal);
        lock (_lock)
        {
            _resources = resources;
            _types = types;
        }
        SetConnection(ResourceServiceConnection.Connected);
    }

    internal void ApplyChanges(WatchResourcesChanges changes)
    {
        lock (_lock)
        {
            foreach (var change in changes.Value)
            {
                switch (change.KindCase)
                {
                    case WatchResourcesChange.KindOneofCase.Upsert:
                        _resources[change.Upsert.Name] = change.Upsert;
                        break;
                    case WatchResourcesChange.KindOneofCase.Delete:
                        _resources.Remove(change.Delete.ResourceName);
                        break;
                }
            }
        }
        live.Publish(LiveUpdates.ResourcesTopic);
    }
}
