using System.Diagnostics;
using AspireProber.Dashboard.Hosting;
using AspireProber.Dashboard.Telemetry;
using AspireProber.DashboardBench;

// Ingest rate of OTLP spans into the dashboard (issue #5): the dashboard's telemetry half runs in this process on
// 127.0.0.1 (ports picked by the OS); the store is filled to its trace limit first, so every measured batch also evicts.
// Progress on stderr, the report on stdout. Goal: >= 50,000 spans/s over each protocol.
const double Goal = 50_000;
var duration = TimeSpan.FromSeconds(args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10);
const int Concurrency = 4;
const int Rounds = 3;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["urls"] = "http://127.0.0.1:0",
    [DashboardEndpoints.OtlpGrpcUrlKey] = "http://127.0.0.1:0",
    [DashboardEndpoints.OtlpHttpUrlKey] = "http://127.0.0.1:0",
});
builder.Logging.ClearProviders();
builder.AddDashboardTelemetry();
await using var app = builder.Build();
app.MapDashboardTelemetry();
await app.StartAsync();
var endpoints = app.Services.GetRequiredService<DashboardEndpoints>();
var store = app.Services.GetRequiredService<TelemetryStore>();

Console.Error.WriteLine("preparing batches...");
// 25,600 traces of 8 spans: 2.5 times the default 10,000-trace limit.
var batches = SpanBatches.Create(400);
var bytesPerSpan = batches.Average(b => b.Length) / SpanBatches.SpansPerBatch;

using var http = new HttpSender(new Uri(endpoints.GetUrl(DashboardEndpointKind.OtlpHttp)));
using var grpc = new GrpcSender(new Uri(endpoints.GetUrl(DashboardEndpointKind.OtlpGrpc)));
Console.Error.WriteLine("filling the store to its limit...");
foreach (var batch in batches)
{
    await http.SendAsync(batch);
}
Console.Error.WriteLine("warming up...");
await RunAsync(http, TimeSpan.FromSeconds(2));
await RunAsync(grpc, TimeSpan.FromSeconds(2));

// Rounds alternate the protocols so a busy phase of the shared machine hits both alike; the median is reported.
var results = new Dictionary<string, List<double>> { ["OTLP/HTTP"] = [], ["OTLP/gRPC"] = [], ["in-process, no transport (1 thread)"] = [] };
var receiver = app.Services.GetRequiredService<AspireProber.Dashboard.Otlp.OtlpReceiver>();
for (var round = 1; round <= Rounds; round++)
{
    foreach (var (name, sender) in new (string, ISender)[] { ("OTLP/HTTP", http), ("OTLP/gRPC", grpc) })
    {
        var rate = await RunAsync(sender, duration);
        results[name].Add(rate);
        Console.Error.WriteLine($"round {round} {name}: {rate:N0} spans/s");
    }
    // The dashboard's own share: parse, validate and convert, store (what both protocols do after the transport).
    var ceiling = MeasureInProcess(duration);
    results["in-process, no transport (1 thread)"].Add(ceiling);
    Console.Error.WriteLine($"round {round} in-process: {ceiling:N0} spans/s");
}

var counts = store.GetCounts();
Console.WriteLine($"DashboardBench: OTLP span ingest with the store at its limit ({store.Limits.MaxTraceCount:N0} traces), {Environment.ProcessorCount} cores, load average before: {LoadAverage()}");
Console.WriteLine($"batches of {SpanBatches.SpansPerBatch} spans (8 per trace, 8 attributes each, {bytesPerSpan:N0} protobuf bytes per span), {Concurrency} concurrent senders in this process, {duration.TotalSeconds:N0} s x {Rounds} rounds, median:");
Console.WriteLine();
Console.WriteLine($"| protocol | spans/s (median) | rounds | goal {Goal:N0} |");
Console.WriteLine("|---|---:|---|---|");
foreach (var (name, rates) in results)
{
    var median = rates.Order().ElementAt(rates.Count / 2);
    var verdict = name.StartsWith("OTLP", StringComparison.Ordinal) ? (median >= Goal ? "met" : "NOT met") : "(ceiling)";
    Console.WriteLine($"| {name} | {median:N0} | {string.Join(" / ", rates.Select(r => r.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))} | {verdict} |");
}
Console.WriteLine();
Console.WriteLine($"store afterwards: {counts.Traces:N0} traces, {counts.Spans:N0} spans held; {counts.DroppedTraces:N0} traces ({counts.DroppedSpans:N0} spans) dropped, oldest first");
await app.StopAsync();
return 0;

// Sends batches from Concurrency loops for the duration; returns accepted spans per second.
async Task<double> RunAsync(ISender sender, TimeSpan length)
{
    var sent = 0L;
    var next = -1;
    var stopwatch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
    {
        while (stopwatch.Elapsed < length)
        {
            await sender.SendAsync(batches[(Interlocked.Increment(ref next) & int.MaxValue) % batches.Length]);
            Interlocked.Add(ref sent, SpanBatches.SpansPerBatch);
        }
    })));
    return sent / stopwatch.Elapsed.TotalSeconds;
}

double MeasureInProcess(TimeSpan length)
{
    var spans = 0L;
    var stopwatch = Stopwatch.StartNew();
    for (var i = 0; stopwatch.Elapsed < length; i++)
    {
        receiver.Export(OpenTelemetry.Proto.Collector.Trace.V1.ExportTraceServiceRequest.Parser.ParseFrom(batches[i % batches.Length]), "bench");
        spans += SpanBatches.SpansPerBatch;
    }
    return spans / stopwatch.Elapsed.TotalSeconds;
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
