using System.Text;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Dashboard;

namespace Aspire.Hosting.Orchestration;

/// <summary>
/// The AppHost's console view: a plain-text table of replicas, states and URLs, re-printed (at most twice a second) when
/// something changes, with the dashboard's login URL under it while the dashboard runs (printed once, it would scroll away).
/// </summary>
internal sealed class ConsoleResourceTable(ResourceNotificationService notifications, TextWriter output)
{
    private static readonly TimeSpan s_refresh = TimeSpan.FromMilliseconds(500);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var current = new SortedDictionary<string, ResourceEvent>(StringComparer.Ordinal);
        var changed = false;
        var lastPrinted = "";
        using var timer = new PeriodicTimer(s_refresh);
        var watch = Task.Run(async () =>
        {
            await foreach (var resourceEvent in notifications.WatchAsync(cancellationToken).ConfigureAwait(false))
            {
                lock (current)
                {
                    current[resourceEvent.ReplicaName] = resourceEvent;
                    changed = true;
                }
            }
        }, cancellationToken);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                string table;
                lock (current)
                {
                    if (!changed)
                    {
                        continue;
                    }
                    changed = false;
                    table = Render(current.Values);
                }
                if (table != lastPrinted)
                {
                    await output.WriteAsync(table).ConfigureAwait(false);
                    lastPrinted = table;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The AppHost is shutting down.
        }
        try
        {
            await watch.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    internal static string Render(IReadOnlyCollection<ResourceEvent> events)
    {
        var rows = events.Select(e => (Name: e.ReplicaName, State: e.Snapshot.Describe(), Detail: e.Snapshot.Urls.Count > 0 && e.Snapshot.State == KnownResourceStates.Running
            ? string.Join(" ", e.Snapshot.Urls)
            : e.Snapshot.Reason ?? "")).ToArray();
        var nameWidth = Math.Max("RESOURCE".Length, rows.Select(r => r.Name.Length).DefaultIfEmpty(0).Max());
        var stateWidth = Math.Max("STATE".Length, rows.Select(r => r.State.Length).DefaultIfEmpty(0).Max());
        var table = new StringBuilder().AppendLine()
            .AppendLine($"{"RESOURCE".PadRight(nameWidth)}  {"STATE".PadRight(stateWidth)}  URLS / REASON");
        foreach (var (name, state, detail) in rows)
        {
            table.AppendLine($"{name.PadRight(nameWidth)}  {state.PadRight(stateWidth)}  {detail}".TrimEnd());
        }
        foreach (var dashboard in events.Where(e => e.Snapshot.State == KnownResourceStates.Running))
        {
            if (dashboard.Resource.Annotations.OfType<DashboardAnnotation>().SingleOrDefault() is { } annotation)
            {
                table.AppendLine().AppendLine($"Login to the dashboard at {DashboardEnvironment.LoginUrl(dashboard.Resource, annotation)}");
            }
        }
        return table.ToString();
    }
}
