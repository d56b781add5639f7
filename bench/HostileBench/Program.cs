using System.Diagnostics;
using AspireProber.HostileBench;
using AspireProber.Tests.Shared;

// The hostile-client benchmark (bench/README.md):
//   dotnet run -c Release --project bench/HostileBench [--rounds N]
// Starts the built AppHost, records each service's and Prometheus' memory and /metrics at rest, replays a hostile
// client's session against the prober, the stock service and the runner (loopback only, bounded in count and time)
// N times (1 by default), and records the same figures after each: what such a client leaves behind.
return await AppHostBenchMain.RunAsync(args, "--rounds", 1, async context =>
{
    var (rounds, root, configuration, appHostExecutable, temp, cancellationToken) = context;
    var startLimit = TimeSpan.FromSeconds(120);
    var stopLimit = TimeSpan.FromSeconds(60);
    // Long enough for the start's allocations to be collected and for Prometheus to have scraped every replica a few
    // times (every 2 s), before and after the session alike.
    var settle = TimeSpan.FromSeconds(20);

    // Read first: the load average is of the machine before the bench adds its own.
    var loadBefore = AppHostBenchMain.LoadAverage();
    var started = DateTimeOffset.UtcNow;
    var start = new ProcessStartInfo(appHostExecutable) { WorkingDirectory = Path.GetDirectoryName(appHostExecutable)! };
    AppHostLaunch.Configure(start, temp);
    Report.Run report;
    bool complete;
    await using (var system = AppHostSystem.Start(start, root))
    {
        Progress.Say($"started {appHostExecutable}; waiting for every replica to be healthy");
        await system.WaitForEveryReplicaHealthyAsync(startLimit, cancellationToken);
        var healthy = system.Elapsed;
        Progress.Say($"every replica healthy after {healthy.TotalSeconds:0.0} s; settling for {settle.TotalSeconds:0} s");
        await Task.Delay(settle, cancellationToken);

        var services = RunningSystem.Find(system.Processes());
        var measured = services.Measured();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var atRest = await Figures.OfAsync(measured, http, cancellationToken);
        Progress.Say("at rest: " + string.Join(", ", measured.Zip(atRest).Select(m => $"{m.First.Name} {m.Second.ResidentBytes / 1048576.0:0.0} MiB")));

        using var session = new HostileSession(services.Probers[0].GrpcAddress!, services.Stock.GrpcAddress!, services.Runner.GrpcAddress!,
            services.ProbeTarget.HttpAddress!);
        var afterRounds = new List<IReadOnlyList<Figures>>();
        for (var round = 1; round <= rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            await session.RunAsync(round, cancellationToken);
            Progress.Say($"round {round}/{rounds} done in {clock.Elapsed.TotalSeconds:0.0} s; waiting {settle.TotalSeconds:0} s");
            await Task.Delay(settle, cancellationToken);
            afterRounds.Add(await Figures.OfAsync(measured, http, cancellationToken));
        }
        complete = session.Complete(rounds);

        Progress.Say("stopping the AppHost (SIGTERM)");
        var (stopped, survivors) = await system.StopAsync(stopLimit, cancellationToken);
        report = new Report.Run(configuration, rounds, loadBefore, AppHostBenchMain.LoadAverage(), started, healthy, settle, measured, atRest,
            afterRounds, session.Cases, stopped, survivors);
    }
    Report.Print(report);
    var leftovers = Leftovers(temp, root);
    foreach (var leftover in leftovers)
    {
        Console.Error.WriteLine($"left running: {leftover}");
    }
    if (!complete)
    {
        Console.Error.WriteLine("not every case counted an outcome for each of its calls: the run is not valid");
    }
    return complete && report.Survivors.Count == 0 && leftovers.Count == 0 ? 0 : 1;
});

// Any process still running whose command line names the bench's TMPDIR (DCP's kubeconfig, Prometheus' folder) or
// one of this checkout's service executables: a stop that left nothing behind leaves none of them.
static IReadOnlyList<string> Leftovers(string temp, string root) =>
    [.. Directory.EnumerateDirectories("/proc")
        .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
        .Where(pid => pid > 0 && pid != Environment.ProcessId && SystemProcess.IsAlive(pid))
        .Select(pid => (Pid: pid, Command: SystemProcess.CommandLine(pid)))
        .Where(p => p.Command.Contains(temp, StringComparison.Ordinal)
            || p.Command.StartsWith(root + "/", StringComparison.Ordinal) && p.Command.Contains("/bin/", StringComparison.Ordinal)
                && !p.Command.Contains("HostileBench", StringComparison.Ordinal))
        .Select(p => $"{p.Pid} {p.Command}")];
