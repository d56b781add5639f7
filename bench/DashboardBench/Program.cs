using System.Diagnostics;
using AspireProber.Dashboard.Hosting;
using AspireProber.Dashboard.Telemetry;
using AspireProber.DashboardBench;

// The dashboard's benchmark (issue #5), with the dashboard (telemetry and UI, as Program.cs composes them) in this process
// on 127.0.0.1, ports picked by the OS; the store is filled to its trace limit first.
//  1. Ingest rate of OTLP spans, every measured batch also evicting. Goal: >= 50,000 spans/s over each protocol.
//  2. Page render time over HTTP with 10,000 traces stored (plus logs at their limit and five minutes of metrics). Goal: < 200 ms.
// Usage: DashboardBench [seconds per ingest run, default 10] [--pages-only]. Progress on stderr, the report on stdout.
const double Goal = 50_000;
const double PageGoalMs = 200;
const int PageSamples = 21;
var pagesOnly = args.Contains("--pages-only");
var numbers = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
var duration = TimeSpan.FromSeconds(numbers.Length > 0 ? double.Parse(numbers[0], System.Globalization.CultureInfo.InvariantCulture) : 10);
const int Concurrency = 4;
var rounds = pagesOnly ? 0 : 3;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["urls"] = "http://127.0.0.1:0",
    [DashboardEndpoints.OtlpGrpcUrlKey] = "http://127.0.0.1:0",
    [DashboardEndpoints.OtlpHttpUrlKey] = "http://127.0.0.1:0",
    ["Dashboard:Frontend:AuthMode"] = "Unsecured",
});
builder.Logging.ClearProviders();
builder.AddDashboardTelemetry();
builder.AddDashboardUi();
await using var app = builder.Build();
app.MapDashboardTelemetry();
app.MapDashboardUi();
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
if (!pagesOnly)
{
    Console.Error.WriteLine("warming up...");
    await RunAsync(http, TimeSpan.FromSeconds(2));
    await RunAsync(grpc, TimeSpan.FromSeconds(2));
}

// Rounds alternate the protocols so a busy phase of the shared machine hits both alike; the median is reported.
var results = new Dictionary<string, List<double>> { ["OTLP/HTTP"] = [], ["OTLP/gRPC"] = [], ["in-process, no transport (1 thread)"] = [] };
var receiver = app.Services.GetRequiredService<AspireProber.Dashboard.Otlp.OtlpReceiver>();
for (var round = 1; round <= rounds; round++)
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
if (!pagesOnly)
{
    Console.WriteLine($"DashboardBench: OTLP span ingest with the store at its limit ({store.Limits.MaxTraceCount:N0} traces), {Environment.ProcessorCount} cores, load average before: {LoadAverage()}");
    Console.WriteLine($"batches of {SpanBatches.SpansPerBatch} spans (8 per trace, 8 attributes each, {bytesPerSpan:N0} protobuf bytes per span), {Concurrency} concurrent senders in this process, {duration.TotalSeconds:N0} s x {rounds} rounds, median:");
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
    Console.WriteLine();
}

// Pages: the logs and metrics pages get data of their own; the traces pages read the store the ingest left at its limit.
Console.Error.WriteLine("filling logs and metrics...");
foreach (var request in PageData.Logs(store.Limits.MaxLogCount))
{
    receiver.Export(request, "bench");
}
foreach (var request in PageData.StockMetrics())
{
    receiver.Export(request, "bench");
}
var newest = store.GetTraces(new TraceQuery { Limit = 1 }).Single();
var pages = new (string Name, string Path)[]
{
    ("traces list (200 newest of 10,000)", "/traces"),
    ("traces list, filter matching none (scans 10,000)", "/traces?minms=60000"),
    ($"trace waterfall ({newest.SpanCount} spans)", "/traces/" + newest.TraceId),
    ("structured logs (500 newest of 10,000)", "/structuredlogs"),
    ("structured logs, text matching none (scans 10,000)", "/structuredlogs?text=no-such-text"),
    ($"metrics: counter, 2 series x {PageData.MetricSeconds} points", "/metrics?resource=stock&instrument=stock.updates.sent"),
    ($"metrics: histogram, 2 series x {PageData.MetricSeconds} points", "/metrics?resource=stock&instrument=stock.write.blocked.duration"),
    ("backpressure (2 consumers)", "/backpressure"),
};
using var timings = new PageTimings(new Uri(endpoints.GetUrl(DashboardEndpointKind.Ui)));
var pageResults = new List<(string Name, double Median, double Max, int Bytes)>();
foreach (var (name, path) in pages)
{
    var (median, max, bytes) = await timings.MeasureAsync(path, PageSamples);
    pageResults.Add((name, median, max, bytes));
    Console.Error.WriteLine($"{name}: {median:N1} ms");
}
counts = store.GetCounts();
Console.WriteLine($"DashboardBench: page render time over HTTP, {counts.Traces:N0} traces ({counts.Spans:N0} spans), {counts.Logs:N0} log records, {counts.MetricPoints:N0} metric points stored; {Environment.ProcessorCount} cores, load average: {LoadAverage()}");
Console.WriteLine($"one request at a time, request to last byte, median and slowest of {PageSamples} after 2 unmeasured:");
Console.WriteLine();
Console.WriteLine($"| page | median ms | slowest ms | HTML KB | goal < {PageGoalMs:N0} ms |");
Console.WriteLine("|---|---:|---:|---:|---|");
foreach (var (name, median, max, bytes) in pageResults)
{
    Console.WriteLine($"| {name} | {median:N1} | {max:N1} | {bytes / 1024.0:N0} | {(median < PageGoalMs ? "met" : "NOT met")} |");
}
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
