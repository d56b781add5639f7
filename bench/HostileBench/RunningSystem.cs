namespace AspireProber.HostileBench;

/// <summary>
/// The processes of the AppHost's system that the bench calls and measures: the 3 prober replicas (the first, by
/// process id, is the one the hostile client probes through), the stock service, the runner, the probe target and
/// Prometheus (DCP's child, found by its executable's name).
/// </summary>
internal sealed record RunningSystem(IReadOnlyList<SystemProcess> Probers, SystemProcess Stock, SystemProcess Runner, SystemProcess ProbeTarget,
    int PrometheusPid, Uri PrometheusAddress)
{
    /// <summary>Picks them out of <paramref name="processes"/>; fails when one is missing.</summary>
    public static RunningSystem Find(IReadOnlyList<SystemProcess> processes)
    {
        // The probe target serves http only; the others gRPC too.
        SystemProcess[] Service(string kind) => [.. processes.Where(p => p.Kind == kind && p.HttpAddress is not null
            && (p.GrpcAddress is not null || kind == "ProbeTarget")).OrderBy(p => p.Pid)];
        SystemProcess One(string kind) => Service(kind) is [var one] ? one : throw new InvalidOperationException($"Not exactly one {kind} among the AppHost's processes.");

        var probers = Service("ProberService");
        if (probers.Length != AppHostSystem.Replicas["ProberService"])
        {
            throw new InvalidOperationException($"{probers.Length} prober replicas among the AppHost's processes, not {AppHostSystem.Replicas["ProberService"]}.");
        }
        var prometheus = processes.SingleOrDefault(p => p.Kind == "prometheus")
            ?? throw new InvalidOperationException("No prometheus among the AppHost's processes (is Debian's prometheus installed?).");
        // It listens where the AppHost's model put it: --web.listen-address=127.0.0.1:PORT.
        const string listen = "--web.listen-address=";
        var address = SystemProcess.CommandLine(prometheus.Pid).Split(' ').SingleOrDefault(a => a.StartsWith(listen, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"prometheus (process {prometheus.Pid}) has no {listen} argument.");
        return new RunningSystem(probers, One("StockStreamService"), One("ProbeRunner"), One("ProbeTarget"), prometheus.Pid,
            new Uri($"http://{address[listen.Length..]}"));
    }

    /// <summary>What the report measures, in its order: the 6 service processes, then Prometheus.</summary>
    public IReadOnlyList<MeasuredProcess> Measured() =>
    [
        .. Probers.Select((p, i) => Service(i == 0 ? "prober 1 (hostile)" : $"prober {i + 1}", p)),
        Service("stock", Stock),
        Service("runner", Runner),
        Service("probetarget", ProbeTarget),
        // Go's heap in use, as Prometheus reports it on its own /metrics: the counterpart of the services' GC heap.
        new MeasuredProcess("prometheus", PrometheusPid, new Uri(PrometheusAddress, "/metrics"), "go_memstats_heap_inuse_bytes"),
    ];

    // The GC heap its last collection left, over every generation (the runtime's System.Runtime meter on /metrics).
    private static MeasuredProcess Service(string name, SystemProcess process) =>
        new(name, process.Pid, new Uri(process.HttpAddress!, "/metrics"), "dotnet_gc_last_collection_heap_size_bytes");
}
