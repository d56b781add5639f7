using System.Diagnostics;
using System.Globalization;
using AspireProber.AppHostBench;
using AspireProber.Tests.Shared;

// The AppHost benchmark (bench/README.md):
//   dotnet run -c Release --project bench/AppHostBench [--runs N]
// Time from starting the built Aspire AppHost to every service replica healthy — as the AppHost's executable and
// through `dotnet run --no-build` — then the system's resident memory per process at rest, and the time Ctrl+C takes
// to leave no process behind.
return await AppHostBenchMain.RunAsync(args, "--runs", 5, async context =>
{
    var (runs, root, configuration, appHostExecutable, temp, cancellationToken) = context;
    var replicas = AppHostSystem.Replicas;
    var rest = TimeSpan.FromSeconds(10);
    // The SDK's host when run by `dotnet run` (the apphost of this bench is not one), else the one on PATH.
    var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    // Read first: the load average is of the machine before the bench adds its own.
    var loadAverage = AppHostBenchMain.LoadAverage();
    var bench = new AppHostRun(root);
    var direct = new List<AppHostRun.Result>();
    var viaRun = new List<AppHostRun.Result>();
    for (var run = 1; run <= runs; run++)
    {
        // The AppHost's executable, as its build left it; DCP runs each service as its built program (BuildOutputLaunch).
        var executable = new ProcessStartInfo(appHostExecutable) { WorkingDirectory = Path.GetDirectoryName(appHostExecutable)! };
        AppHostLaunch.Configure(executable, temp);
        direct.Add(await bench.MeasureAsync(executable, rest, cancellationToken));
        Progress($"run {run}/{runs}: executable: {Describe(direct[^1])}");

        // The README's run command after a build, with the launch profile's settings given as above.
        var dotnetRun = new ProcessStartInfo(dotnet) { WorkingDirectory = root };
        foreach (var argument in new[] { "run", "--no-build", "-c", configuration, "--project", "AppHost", "--no-launch-profile", "--" })
        {
            dotnetRun.ArgumentList.Add(argument);
        }
        AppHostLaunch.Configure(dotnetRun, temp);
        viaRun.Add(await bench.MeasureAsync(dotnetRun, TimeSpan.Zero, cancellationToken));
        Progress($"run {run}/{runs}: dotnet run --no-build: {Describe(viaRun[^1])}");
    }

    var replicaCount = replicas.Values.Sum();
    Console.WriteLine();
    Console.WriteLine($"Aspire AppHost start to all {replicaCount} service replicas healthy, {runs} runs ({configuration}, {Environment.ProcessorCount} cores, "
        + $"load average before: {loadAverage}, after: {AppHostBenchMain.LoadAverage()})");
    Console.WriteLine($"  AspireProber.AppHost (executable)                 {Summary(direct.Select(r => r.AllHealthy))}");
    Console.WriteLine($"  dotnet run --no-build --project AppHost           {Summary(viaRun.Select(r => r.AllHealthy))}");
    Console.WriteLine($"  dashboard login line (executable)                 {Summary(direct.Select(r => r.Login))}");
    Console.WriteLine($"  'Distributed application started' (executable)    {Summary(direct.Select(r => r.Started))}");
    // The runner starts with the others (WaitForStart), not after them: no service's start-up waits for another's.
    Console.WriteLine("  last replica of each service healthy, median of the executable runs: "
        + string.Join(", ", replicas.Keys.Select(s => $"{s} {Seconds(Median(direct.Select(r => r.LastHealthyPerService[s])))}")));
    Console.WriteLine($"  goal < 10 s: {(Median(direct.Select(r => r.AllHealthy)) < TimeSpan.FromSeconds(10) ? "met" : "missed")} (median of the executable runs)");
    var sums = direct.Select(r => r.AtRest.Sum(p => p.ProportionalBytes)).Order().ToArray();
    Console.WriteLine($"The system at rest, {rest.TotalSeconds:0} s after healthy (the AppHost, DCP and everything under it, PSS):");
    Console.WriteLine($"  sum median {Mebibytes(sums[sums.Length / 2])}, min {Mebibytes(sums[0])}, max {Mebibytes(sums[^1])}; processes: "
        + string.Join(", ", direct.Select(r => r.AtRest.Count).Distinct()));
    Console.WriteLine("  by kind, last run: " + string.Join(", ", direct[^1].AtRest.GroupBy(p => p.Kind)
        .Select(g => (Kind: g.Key, Count: g.Count(), Bytes: g.Sum(p => p.ProportionalBytes))).OrderByDescending(g => g.Bytes)
        .Select(g => g.Count == 1 ? $"{g.Kind} {Mebibytes(g.Bytes)}" : $"{g.Kind} ×{g.Count} {Mebibytes(g.Bytes)}")));
    var all = direct.Concat(viaRun).ToList();
    Console.WriteLine($"Ctrl+C (SIGTERM to the AppHost) until no process of the system is left: {Summary(all.Select(r => r.Stopped))}");
    var survivors = all.SelectMany(r => r.Survivors).ToList();
    Console.WriteLine(survivors.Count == 0
        ? $"  left after {all.Count} stops: none"
        : $"  left {survivors.Count} process(es) after 60 s (then killed): {string.Join("; ", survivors)}");
    return survivors.Count == 0 ? 0 : 1;
});

static string Describe(AppHostRun.Result result) =>
    $"login {Seconds(result.Login)}, started {Seconds(result.Started)}, all healthy {Seconds(result.AllHealthy)}, at rest {Mebibytes(result.AtRest.Sum(p => p.ProportionalBytes))} "
    + $"in {result.AtRest.Count} processes, stopped in {Seconds(result.Stopped)}";

static TimeSpan Median(IEnumerable<TimeSpan> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length == 0 ? TimeSpan.Zero : sorted[sorted.Length / 2];
}

static string Summary(IEnumerable<TimeSpan> values)
{
    var all = values.ToList();
    return $"median {Seconds(Median(all))}, min {Seconds(all.Min())}, max {Seconds(all.Max())}  "
        + $"({string.Join(" ", all.Select(v => v.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)))})";
}

static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.00 's'", CultureInfo.InvariantCulture);

static string Mebibytes(long bytes) => (bytes / 1048576.0).ToString("0.0 'MiB'", CultureInfo.InvariantCulture);

static void Progress(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
