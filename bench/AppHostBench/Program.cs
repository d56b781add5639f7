using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using AspireProber.AppHostBench;

// The AppHost benchmark (bench/README.md):
//   dotnet run -c Release --project bench/AppHostBench [--runs N]
// Time from starting the built AppHost to every replica healthy, run as the dll and through `dotnet run --no-build`,
// and the whole system's resident memory and process count at rest.
var runs = args switch
{
    [] => 5,
    ["--runs", var n] when int.TryParse(n, out var parsed) && parsed > 0 => parsed,
    _ => -1,
};
if (runs < 0)
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/AppHostBench [--runs N]   (N > 0, default 5)");
    return 2;
}

string[] replicas = ["probetarget-0", "prober-0", "prober-1", "prober-2", "stock-0", "runner-0"];
var rest = TimeSpan.FromSeconds(10);
var configuration = typeof(Program).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
var root = RepoRoot();
var appHostDll = Path.Combine(root, "AppHost", "bin", configuration, "net10.0", "AspireProber.AppHost.dll");
if (!File.Exists(appHostDll))
{
    Console.Error.WriteLine($"{appHostDll} is not built: build this bench in {configuration} (it builds the AppHost).");
    return 1;
}
// The SDK's host when run by `dotnet run` (the apphost of this bench is not one), else the one on PATH.
var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

using var stopSignals = new StopSignals();
var cancellationToken = stopSignals.Token;
try
{
    // Read first: the load average is of the machine before the bench adds its own.
    var loadAverage = string.Join(" ", (await File.ReadAllTextAsync("/proc/loadavg", cancellationToken)).Split(' ').Take(3));
    var dll = new List<TimeSpan>();
    var dotnetRun = new List<TimeSpan>();
    var atRest = new List<IReadOnlyList<ProcessTree.Member>>();
    var firstHealthy = new List<IReadOnlyDictionary<string, TimeSpan>>();
    for (var run = 1; run <= runs; run++)
    {
        // The dll as the README's tests run it: the services were built with it, so it does not build them again.
        var direct = Start(dotnet, [appHostDll, "--AppHost:BuildProjects=false"], Path.GetDirectoryName(appHostDll)!);
        var (healthy, replicaTimes, system) = await MeasureAsync(direct, rest, cancellationToken);
        dll.Add(healthy);
        firstHealthy.Add(replicaTimes);
        atRest.Add(system);
        Progress($"run {run}/{runs}: dll healthy after {Seconds(healthy)}; at rest {Mebibytes(system.Sum(m => m.ResidentBytes))} in {system.Count} processes");

        // The README's run command after a build: launchSettings.json turns the services' build off.
        var viaRun = Start(dotnet, ["run", "--no-build", "-c", configuration, "--project", "AppHost"], root);
        (healthy, _, _) = await MeasureAsync(viaRun, TimeSpan.Zero, cancellationToken);
        dotnetRun.Add(healthy);
        Progress($"run {run}/{runs}: dotnet run --no-build healthy after {Seconds(healthy)}");
    }

    Console.WriteLine();
    var loadAfter = string.Join(" ", (await File.ReadAllTextAsync("/proc/loadavg", cancellationToken)).Split(' ').Take(3));
    Console.WriteLine($"AppHost start to all {replicas.Length} replicas healthy, {runs} runs ({configuration}, {Environment.ProcessorCount} cores, load average before: {loadAverage}, after: {loadAfter})");
    Console.WriteLine($"  dotnet AspireProber.AppHost.dll             {Summary(dll)}");
    Console.WriteLine($"  dotnet run --no-build --project AppHost     {Summary(dotnetRun)}");
    // The runner starts only once the others are healthy: two service start-ups in a row make the critical path.
    Console.WriteLine("  each replica first healthy, median of the dll runs: " + string.Join(", ", replicas.Select(r => $"{r} {Seconds(Median([.. firstHealthy.Select(t => t[r])]))}")));
    Console.WriteLine($"  goal < 5 s: {(Median(dll) < TimeSpan.FromSeconds(5) ? "met" : "missed")} (median of the dll runs)");
    var sums = atRest.Select(s => s.Sum(m => m.ResidentBytes)).Order().ToArray();
    Console.WriteLine($"The system at rest, {rest.TotalSeconds:0} s after healthy (AppHost and every process under it, VmRSS):");
    Console.WriteLine($"  sum median {Mebibytes(sums[sums.Length / 2])}, min {Mebibytes(sums[0])}, max {Mebibytes(sums[^1])}; processes: {string.Join(", ", atRest.Select(s => s.Count).Distinct())}");
    Console.WriteLine("  last run: " + string.Join(", ", atRest[^1].OrderByDescending(m => m.ResidentBytes).Select(m => $"{m.Name} {Mebibytes(m.ResidentBytes)}")));
    return 0;
}
catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
{
    Console.Error.WriteLine("stopped; every AppHost this bench started is stopped too");
    return 130;
}

ProcessStartInfo Start(string fileName, string[] arguments, string workingDirectory)
{
    var start = new ProcessStartInfo(fileName) { WorkingDirectory = workingDirectory };
    foreach (var argument in arguments)
    {
        start.ArgumentList.Add(argument);
    }
    return start;
}

// Started, timed until the table shows every replica healthy, left running for `rest`, then killed with everything
// under it (and its reaper stops anything that escaped the kill).
async Task<(TimeSpan Healthy, IReadOnlyDictionary<string, TimeSpan> FirstHealthy, IReadOnlyList<ProcessTree.Member> AtRest)> MeasureAsync(
    ProcessStartInfo start, TimeSpan rest, CancellationToken cancellationToken)
{
    var clock = Stopwatch.StartNew();
    var table = new HealthyTable(replicas, clock);
    await using var appHost = await ListeningProcess.StartAsync(start, table.Accept, cancellationToken);
    var healthy = clock.Elapsed;
    if (rest <= TimeSpan.Zero)
    {
        return (healthy, table.FirstHealthy, []);
    }
    await Task.Delay(rest, cancellationToken);
    return (healthy, table.FirstHealthy, ProcessTree.Of(appHost.Process.Id));
}

static TimeSpan Median(List<TimeSpan> values) => values.Order().ElementAt(values.Count / 2);

static string Summary(List<TimeSpan> values) =>
    $"median {Seconds(Median(values))}, min {Seconds(values.Min())}, max {Seconds(values.Max())}  ({string.Join(" ", values.Select(v => v.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)))})";

static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.00 's'", CultureInfo.InvariantCulture);

static string Mebibytes(long bytes) => (bytes / 1048576.0).ToString("0.0 'MiB'", CultureInfo.InvariantCulture);

static void Progress(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

static string RepoRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "AspireProber.sln")))
        {
            return directory.FullName;
        }
    }
    throw new InvalidOperationException("AspireProber.sln not found above " + AppContext.BaseDirectory);
}
