using System.Threading.Channels;
using Aspire.DashboardService.Proto.V1;
using Grpc.Core;

namespace AspireProber.Dashboard.Tests.ResourceService;

/// <summary>
/// An in-test AppHost resource service: serves the resources a test sets, pushes the changes it makes to every
/// watcher, streams console lines it appends, records the commands it receives, and can break its streams.
/// </summary>
public sealed class FakeResourceService : DashboardService.DashboardServiceBase
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Resource> _resources = new(StringComparer.Ordinal);
    private readonly List<Channel<WatchResourcesUpdate>> _watchers = [];
    private readonly Dictionary<string, List<ConsoleLogLine>> _console = new(StringComparer.Ordinal);
    private readonly List<Channel<ConsoleLogLine>> _consoleWatchers = [];
    private CancellationTokenSource _breakStreams = new();

    private readonly List<WatchResourcesRequest> _watchRequests = [];
    private readonly List<ResourceCommandRequest> _commands = [];

    /// <summary>Every WatchResourcesRequest received so far, in order.</summary>
    public IReadOnlyList<WatchResourcesRequest> WatchRequests
    {
        get { lock (_lock) { return _watchRequests.ToArray(); } }
    }

    /// <summary>Every command request received so far, in order.</summary>
    public IReadOnlyList<ResourceCommandRequest> Commands
    {
        get { lock (_lock) { return _commands.ToArray(); } }
    }

    /// <summary>Adds or replaces resources; watchers get them as upserts.</summary>
    public void Upsert(params Resource[] resources)
    {
        lock (_lock)
        {
            var changes = new WatchResourcesChanges();
            foreach (var resource in resources)
            {
                _resources[resource.Name] = resource;
                changes.Value.Add(new WatchResourcesChange { Upsert = resource.Clone() });
            }
            Broadcast(new WatchResourcesUpdate { Changes = changes });
        }
    }

    /// <summary>Removes a resource; watchers get a deletion.</summary>
    public void Delete(string name)
    {
        lock (_lock)
        {
            var removed = _resources.Remove(name, out var resource);
            Assert.True(removed, $"no fake resource {name}");
            var changes = new WatchResourcesChanges();
            changes.Value.Add(new WatchResourcesChange { Delete = new ResourceDeletion { ResourceName = name, ResourceType = resource!.ResourceType } });
            Broadcast(new WatchResourcesUpdate { Changes = changes });
        }
    }

    /// <summary>Appends console lines of a resource, numbered after the ones it has.</summary>
    public void Print(string resourceName, string text, bool stdErr = false)
    {
        lock (_lock)
        {
            if (!_console.TryGetValue(resourceName, out var lines))
            {
                _console[resourceName] = lines = [];
            }
            var line = new ConsoleLogLine { Text = text, IsStdErr = stdErr, LineNumber = lines.Count + 1 };
            lines.Add(line);
            foreach (var watcher in _consoleWatchers)
            {
                watcher.Writer.TryWrite(line);
            }
        }
    }

    /// <summary>Ends every open stream with UNAVAILABLE, as an AppHost restart would.</summary>
    public void BreakStreams()
    {
        CancellationTokenSource old;
        lock (_lock)
        {
            old = _breakStreams;
            _breakStreams = new CancellationTokenSource();
        }
        old.Cancel();
    }

    public override Task<ApplicationInformationResponse> GetApplicationInformation(ApplicationInformationRequest request, ServerCallContext context) =>
        Task.FromResult(new ApplicationInformationResponse { ApplicationName = "FakeApp" });

    public override async Task WatchResources(WatchResourcesRequest request, IServerStreamWriter<WatchResourcesUpdate> responseStream, ServerCallContext context)
    {
        var channel = Channel.CreateUnbounded<WatchResourcesUpdate>();
        CancellationToken broken;
        lock (_lock)
        {
            _watchRequests.Add(request);
            var initial = new InitialResourceData();
            initial.Resources.AddRange(_resources.Values.Select(r => r.Clone()));
            initial.ResourceTypes.Add(new ResourceType { UniqueName = "Project", Commands = { Command("stop", "Stop"), Command("start", "Start"), Command("restart", "Restart") } });
            channel.Writer.TryWrite(new WatchResourcesUpdate { InitialData = initial });
            _watchers.Add(channel);
            broken = _breakStreams.Token;
        }
        try
        {
            await Pump(channel.Reader, responseStream.WriteAsync, context.CancellationToken, broken);
        }
        finally
        {
            lock (_lock)
            {
                _watchers.Remove(channel);
            }
        }
    }

    public override async Task WatchResourceConsoleLogs(WatchResourceConsoleLogsRequest request, IServerStreamWriter<WatchResourceConsoleLogsUpdate> responseStream, ServerCallContext context)
    {
        var channel = Channel.CreateUnbounded<ConsoleLogLine>();
        CancellationToken broken;
        lock (_lock)
        {
            if (!_resources.ContainsKey(request.ResourceName))
            {
                throw new RpcException(new Status(StatusCode.NotFound, $"No resource named '{request.ResourceName}'."));
            }
            foreach (var line in _console.GetValueOrDefault(request.ResourceName) ?? [])
            {
                channel.Writer.TryWrite(line);
            }
            _consoleWatchers.Add(channel);
            broken = _breakStreams.Token;
        }
        try
        {
            await Pump(channel.Reader, line => responseStream.WriteAsync(new WatchResourceConsoleLogsUpdate { LogLines = { line } }), context.CancellationToken, broken);
        }
        finally
        {
            lock (_lock)
            {
                _consoleWatchers.Remove(channel);
            }
        }
    }

    public override Task<ResourceCommandResponse> ExecuteResourceCommand(ResourceCommandRequest request, ServerCallContext context)
    {
        lock (_lock)
        {
            _commands.Add(request);
            if (!_resources.TryGetValue(request.ResourceName, out var resource))
            {
                throw new RpcException(new Status(StatusCode.NotFound, $"No resource named '{request.ResourceName}'."));
            }
            if (request.CommandName == "stop")
            {
                var stopped = resource.Clone();
                stopped.State = "Exited";
                stopped.StateStyle = "warning";
                Upsert(stopped);
            }
        }
        return Task.FromResult(new ResourceCommandResponse { Kind = ResourceCommandResponseKind.Succeeded });
    }

    /// <summary>A Project resource in the shape the real AppHost sends.</summary>
    public static Resource Project(string name, string state, string style = "success", int replicaIndex = 0)
    {
        var resource = new Resource
        {
            Name = name,
            DisplayName = name.Contains('-') ? name[..name.LastIndexOf('-')] : name,
            ResourceType = "Project",
            Uid = Guid.NewGuid().ToString("N"),
            State = state,
            StateStyle = style,
            StartedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)),
        };
        resource.Properties.Add(new ResourceProperty { Name = "resource.replicaIndex", Value = Google.Protobuf.WellKnownTypes.Value.ForNumber(replicaIndex) });
        resource.Urls.Add(new Url { EndpointName = "http", FullUrl = $"http://127.0.0.1:{5000 + replicaIndex}" });
        return resource;
    }

    private static ResourceCommand Command(string name, string display) => new() { Name = name, DisplayName = display };

    private void Broadcast(WatchResourcesUpdate update)
    {
        foreach (var watcher in _watchers)
        {
            watcher.Writer.TryWrite(update.Clone());
        }
    }

    private static async Task Pump<T>(ChannelReader<T> reader, Func<T, Task> write, CancellationToken callEnded, CancellationToken broken)
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(callEnded, broken);
        try
        {
            await foreach (var item in reader.ReadAllAsync(both.Token))
            {
                await write(item);
            }
        }
        catch (OperationCanceledException) when (broken.IsCancellationRequested && !callEnded.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "The fake resource service broke the stream."));
        }
    }
}
