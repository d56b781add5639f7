using System.Globalization;
using System.Runtime.InteropServices;
using AspireProber.ServicesBench;

// The services benchmark (bench/README.md, ServicesBench):
//   dotnet run -c Release --project bench/ServicesBench [--short]
// It also runs itself as each service under test (ServicesBench serve <service> ...), started and stopped by the
// benchmark.
if (args is [ServiceHosts.ServeCommand, _, ..])
{
    return await ServiceHosts.ServeAsync(args);
}
if (args is not ([] or ["--short"]))
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/ServicesBench [--short]   (--short: a 10 s stall instead of 60 s)");
    return 2;
}
var stall = TimeSpan.FromSeconds(args is ["--short"] ? 10 : 60);

// The stock consumer's stream window must be known to bound what may be unread: SocketsHttpHandler otherwise grows
// it past 64 KiB while the consumer reads fast (dynamic window sizing, up to 16 MiB). Read once per process at the
// first HTTP/2 connection, so it is set before any client exists.
AppContext.SetSwitch("System.Net.SocketsHttpHandler.Http2FlowControl.DisableDynamicWindowSizing", true);

using var stopSignals = new StopSignals();
var cancellationToken = stopSignals.Token;

try
{
    // Read first: the load average is of the machine before the bench adds its own.
    var loadAverage = string.Join(" ", (await File.ReadAllTextAsync("/proc/loadavg", cancellationToken)).Split(' ').Take(3));
    var h2loadVersion = (await ChildProcess.RunAsync("h2load", ["--version"], TimeSpan.FromSeconds(10), cancellationToken)).StandardOutput.Trim();
    var started = DateTimeOffset.UtcNow;

    IReadOnlyList<ProberBench.Accuracy> accuracy;
    ProberBench.Overhead overhead;
    {
        var targetPort = ServiceHosts.FreePort();
        var proberPort = ServiceHosts.FreePort();
        Progress($"starting the ProbeTarget (:{targetPort}) and one prober replica (:{proberPort})");
        await using var target = await ServiceProcess.StartAsync(ServiceHosts.Target(targetPort), cancellationToken);
        await using var prober = await ServiceProcess.StartAsync(ServiceHosts.Prober(proberPort), cancellationToken);
        using var bench = new ProberBench(new Uri($"http://127.0.0.1:{proberPort}"), new Uri($"http://127.0.0.1:{targetPort}"), cancellationToken);
        accuracy = await bench.AccuracyAsync();
        overhead = await bench.OverheadAsync();
    }

    BackpressureBench.Result stalled, control;
    {
        // Two stock services side by side, each with one consumer: one stops reading, the control keeps reading.
        // Whatever the resident set does with time alone (GC budgets settling, the runtime's own growth) shows in
        // both; what the stall costs is the difference.
        var ports = Enumerable.Range(0, 4).Select(_ => ServiceHosts.FreePort()).ToArray();
        Progress($"starting two stock services at {BackpressureBench.UpdatesPerSecond} updates/s each; their consumers read for "
            + $"{BackpressureBench.ReadingTime.TotalSeconds:0} s, then one stops reading for {stall.TotalSeconds:0} s while the other keeps reading");
        await using var stalledStock = await ServiceProcess.StartAsync(ServiceHosts.Stock(ports[0], ports[1], BackpressureBench.UpdatesPerSecond), cancellationToken);
        await using var controlStock = await ServiceProcess.StartAsync(ServiceHosts.Stock(ports[2], ports[3], BackpressureBench.UpdatesPerSecond), cancellationToken);
        var results = await Task.WhenAll(
            new BackpressureBench(stalledStock, Local(ports[0]), Local(ports[1]), BackpressureBench.StalledConsumer, cancellationToken).RunAsync(stall, stops: true),
            new BackpressureBench(controlStock, Local(ports[2]), Local(ports[3]), BackpressureBench.ReadingConsumer, cancellationToken).RunAsync(stall, stops: false));
        (stalled, control) = (results[0], results[1]);
    }

    var report = new Report();
    report.Line($"Services benchmark — {started:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, "
        + $"{RuntimeInformation.FrameworkDescription}, {h2loadVersion}");
    report.Line($"Load average before the start: {loadAverage}. Each service runs in its own process; nothing leaves 127.0.0.1.");
    report.Accuracy(accuracy);
    report.Overhead(overhead);
    report.Backpressure(stalled, control);
    Console.Write(report);
    return 0;
}
catch (Exception) when (cancellationToken.IsCancellationRequested)
{
    // Cancellation surfaces as OperationCanceledException, or as a CANCELLED RpcException from a call in flight.
    Console.Error.WriteLine("stopped; every service was shut down");
    return 130;
}
catch (Exception e)
{
    Console.Error.WriteLine($"benchmark failed: {e.Message}");
    return 1;
}

static Uri Local(int port) => new($"http://127.0.0.1:{port}");

static void Progress(string text) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {text}");
